// The two ways a Socket.IO client could get what it missed when its instance goes away, measured
// side by side on this machine's Redis: the Redis adapter (@socket.io/redis-adapter, what Switchboard
// runs; a client rejoins with lastMessageId and the store replays) and the Redis-streams adapter
// (@socket.io/redis-streams-adapter, whose connection-state recovery could hand a session to another
// instance). Plain Socket.IO servers, no Switchboard, so the figures are the adapters' own:
//   - throughput: a room of BENCH_SOCKETS sockets on instance B, BENCH_MESSAGES broadcasts from instance A;
//   - recovery: a client of instance A reconnects to B after A drains (closes its sockets) and after A
//     is SIGKILLed, while B broadcasts BENCH_MISSED messages: was it recovered, and how many did it get?
// `node bench/socket-recovery.mjs` (REDIS_URL, default redis://127.0.0.1:6379).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { createAdapter as redisAdapter } from '@socket.io/redis-adapter';
import { createAdapter as streamsAdapter } from '@socket.io/redis-streams-adapter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 200);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const MISSED = Number(process.env.BENCH_MISSED ?? 5);
const ROOM = 'room';
const KINDS = ['redis-adapter', 'redis-streams-adapter'];

/** One Socket.IO instance with the adapter of `kind` on `prefix`; every socket joins ROOM. */
async function instance(kind, prefix) {
  const redis = new Redis(REDIS_URL);
  const clients = [redis];
  let adapter;
  if (kind === 'redis-adapter') {
    const subscriber = redis.duplicate();
    clients.push(subscriber);
    adapter = redisAdapter(redis, subscriber, { key: `${prefix}:socket.io` });
  } else {
    adapter = streamsAdapter(redis, { streamName: `${prefix}:socket.io`, sessionKeyPrefix: `${prefix}:session:` });
  }
  const http = createServer();
  const io = new Server(http, { adapter, connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } });
  io.on('connection', (socket) => {
    if (!socket.recovered) socket.join(ROOM);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}`;
  return {
    io,
    url,
    async close() {
      io.close();
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}

const opened = (socket) => new Promise((resolve, reject) => (socket.once('connect', resolve), socket.once('connect_error', reject)));
const client = (url, options = {}) => connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function throughput(kind) {
  const prefix = `bench-recovery-${randomBytes(4).toString('hex')}`;
  const [a, b] = [await instance(kind, prefix), await instance(kind, prefix)];
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, async () => {
    const socket = client(b.url);
    await opened(socket);
    return socket;
  }));
  await pause(200);
  let received = 0;
  const all = new Promise((resolve) => sockets.forEach((socket) => socket.on('m', () => ++received === SOCKETS * MESSAGES && resolve())));
  const started = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) a.io.to(ROOM).emit('m', i, 'x'.repeat(200));
  await Promise.race([all, pause(60_000)]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  sockets.forEach((socket) => socket.disconnect());
  await Promise.all([a.close(), b.close()]);
  return { delivered: received, expected: SOCKETS * MESSAGES, seconds, perSecond: received / seconds };
}

/** Instance A in a child process, so that it can be SIGKILLed as a crashed instance is. */
function childInstance(kind, prefix) {
  const child = fork(new URL(import.meta.url).pathname, ['--instance', kind, prefix], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (url) => resolve({ child, url })));
}

async function recovery(kind, how) {
  const prefix = `bench-recovery-${randomBytes(4).toString('hex')}`;
  const b = await instance(kind, prefix);
  const a = await childInstance(kind, prefix);
  const first = client(a.url);
  await opened(first);
  let last = -1;
  first.on('m', (n) => (last = n));
  b.io.to(ROOM).emit('m', 0);
  await pause(300);
  // What the client library would send when it reconnects: its session id and the last offset it saw.
  const pid = first._pid;
  const offset = first._lastOffset;
  if (how === 'drain') a.child.send('drain');
  else a.child.kill('SIGKILL');
  await new Promise((resolve) => a.child.once('exit', resolve));
  for (let i = 1; i <= MISSED; i++) b.io.to(ROOM).emit('m', i);
  await pause(300);
  const second = client(b.url, { auth: pid ? { pid, offset } : {} });
  const got = [];
  second.on('m', (n) => got.push(n));
  await opened(second);
  await pause(500);
  const result = { lastSeen: last, hadSession: Boolean(pid), missedReceived: got.length, of: MISSED };
  first.close();
  second.close();
  await b.close();
  return result;
}

if (process.argv[2] === '--instance') {
  const a = await instance(process.argv[3], process.argv[4]);
  process.on('message', async () => {
    // Closing the server ('server shutting down') is a recoverable disconnect: the adapter saves each session.
    // (Switchboard's drain uses disconnectSockets(true), 'io server disconnect', which Socket.IO never recovers.)
    a.io.close();
    await pause(300);
    process.exit(0);
  });
  process.send(a.url);
} else {
  for (const kind of KINDS) {
    const t = await throughput(kind);
    console.log(`${kind}: ${SOCKETS} sockets on B, ${MESSAGES} broadcasts from A: ${t.delivered}/${t.expected} delivered in ${t.seconds.toFixed(2)} s, ${Math.round(t.perSecond).toLocaleString('en')} deliveries/s`);
    for (const how of ['drain', 'crash']) {
      const r = await recovery(kind, how);
      console.log(`${kind}: A ${how === 'drain' ? 'drained (sockets closed)' : 'SIGKILLed'}, client reconnects to B: session ${r.missedReceived === r.of ? 'restored' : 'NOT restored'}, got ${r.missedReceived} of ${r.of} missed messages`);
    }
  }
  process.exit(0);
}
