// Delivery latency of a room broadcast: one socket sends a message, and the clock runs until its
// messageBroadcast has reached every socket of a room of 500. All sockets live in this process, so
// one hrtime clock measures send and arrival alike. `node bench/socket-broadcast.mjs` runs it alone
// (build first: npm run build).
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { io } from 'socket.io-client';
import { ADMIN_TOKEN, DATABASES, createClient, percentile, processCpuMs, withDatabase, withServer, runWhenMain } from './lib.mjs';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 500);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
// Above WS_COMPRESSION_THRESHOLD_BYTES (1024 by default) every delivery is deflated: BENCH_TEXT_BYTES=2000 measures that cost.
const TEXT_BYTES = Number(process.env.BENCH_TEXT_BYTES ?? 0);
const WARMUP_MESSAGES = 20;
const CONNECT_BATCH = 100;
const STEP_TIMEOUT_MS = 10_000;
const TARGET_P99_MS = 100;

export const name = 'socket-broadcast';
/** The bench sends far more than 60 messages a minute into its one room: that is its point, not abuse. */
export const serverEnv = { RATE_LIMIT_SESSION_PER_MINUTE: '0' };
export const description = `send → messageBroadcast on each of ${SOCKETS} sockets of one room, ${MESSAGES} messages one at a time`;

/** Runs against `server` when given (`{ baseUrl }`), else on a fresh SQLite database and server of its own. */
export async function run(server) {
  if (!server) return withDatabase(DATABASES[0], (db) => withServer({ databaseUrl: db.url, env: serverEnv }, run));
  const channelId = await createQuietChannel(server.baseUrl);
  const sockets = [];
  try {
    for (let i = 0; i < SOCKETS; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, SOCKETS - i) }, () => connect(server.baseUrl));
      sockets.push(...(await Promise.all(batch)));
    }
    // Every join is announced (userJoined) to the sockets already in the room: n² events, so join in batches.
    for (let i = 0; i < sockets.length; i += CONNECT_BATCH) {
      await Promise.all(sockets.slice(i, i + CONNECT_BATCH).map((socket) => ack(socket, 'join', { roomId: channelId })));
    }
    const figures = await measure(sockets, channelId, server.pid);
    print(figures);
    return figures;
  } finally {
    sockets.forEach((socket) => socket.disconnect());
  }
}

async function createQuietChannel(baseUrl) {
  const client = createClient(baseUrl);
  try {
    // No agent participant: only the user's message is broadcast, so each send is one delivery per socket.
    const channel = await client.expect(201, 'POST', '/api/channels', { name: `bench-${randomUUID().slice(0, 8)}` });
    return channel.id;
  } finally {
    client.close();
  }
}

function connect(baseUrl) {
  const socket = io(baseUrl, { auth: { token: ADMIN_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: STEP_TIMEOUT_MS });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`socket refused: ${error.message}`)));
  });
}

function ack(socket, event, payload, timeoutMs = STEP_TIMEOUT_MS) {
  return socket
    .timeout(timeoutMs)
    .emitWithAck(event, payload)
    .then((answer) => {
      if (!answer?.ok) throw new Error(`${event} refused: ${JSON.stringify(answer)}`);
      return answer;
    });
}

async function measure(sockets, channelId, serverPid) {
  const sender = sockets[0];
  const latenciesMs = [];
  const ackMs = [];
  // Per message: when the first and the last socket of the room got it.
  const firstMs = [];
  const lastMs = [];
  let current = null;
  for (const socket of sockets) {
    socket.on('messageBroadcast', (message) => {
      if (!current || message.clientMessageId !== current.id) return;
      current.arrivals++;
      const latency = Number(process.hrtime.bigint() - current.sentAt) / 1e6;
      if (current.recorded) latenciesMs.push(latency);
      if (current.recorded && current.arrivals === 1) firstMs.push(latency);
      if (current.arrivals === sockets.length) {
        if (current.recorded) lastMs.push(latency);
        current.done();
      }
    });
  }
  let delivered = 0;
  let cpuAtStart = null;
  const padding = 'x'.repeat(TEXT_BYTES);
  for (let i = 0; i < WARMUP_MESSAGES + MESSAGES; i++) {
    const recorded = i >= WARMUP_MESSAGES;
    if (i === WARMUP_MESSAGES && serverPid !== undefined) cpuAtStart = processCpuMs(serverPid);
    const step = { id: randomUUID(), arrivals: 0, recorded, sentAt: 0n, done: () => {} };
    const allArrived = new Promise((resolve) => (step.done = resolve));
    current = step;
    step.sentAt = process.hrtime.bigint();
    const acked = ack(sender, 'message', { text: `bench message ${i} ${padding}`, roomId: channelId, messageId: step.id }).then(() => {
      if (recorded) ackMs.push(Number(process.hrtime.bigint() - step.sentAt) / 1e6);
    });
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, STEP_TIMEOUT_MS)));
    await Promise.race([Promise.all([allArrived, acked]), timedOut]);
    clearTimeout(timer);
    if (recorded) delivered += step.arrivals;
  }
  const cpuAtEnd = serverPid === undefined ? null : processCpuMs(serverPid);
  const serverCpuMsPerMessage = cpuAtStart === null || cpuAtEnd === null ? null : (cpuAtEnd - cpuAtStart) / MESSAGES;
  const sorted = Float64Array.from(latenciesMs).sort();
  const sortedAcks = Float64Array.from(ackMs).sort();
  const sortedFirst = Float64Array.from(firstMs).sort();
  const sortedLast = Float64Array.from(lastMs).sort();
  return {
    sockets: sockets.length,
    messages: MESSAGES,
    textBytes: TEXT_BYTES,
    serverCpuMsPerMessage,
    expected: MESSAGES * sockets.length,
    delivered,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    ackP50: percentile(sortedAcks, 50),
    ackP99: percentile(sortedAcks, 99),
    firstP50: percentile(sortedFirst, 50),
    firstP99: percentile(sortedFirst, 99),
    lastP50: percentile(sortedLast, 50),
    lastP99: percentile(sortedLast, 99),
  };
}

function print(f) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  console.log(
    [
      `${name}: ${f.sockets} sockets in one room, ${f.messages} messages sent one at a time (after ${WARMUP_MESSAGES} warm-up)`,
      `  delivered  ${f.delivered} of ${f.expected}`,
      `  send → messageBroadcast on each socket  p50 ${ms(f.p50)}  p99 ${ms(f.p99)}  max ${ms(f.max)}  (aim: p99 < ${TARGET_P99_MS} ms: ${f.p99 < TARGET_P99_MS ? 'met' : 'NOT met'})`,
      `  send → first socket of the room         p50 ${ms(f.firstP50)}  p99 ${ms(f.firstP99)}`,
      `  send → last socket of the room          p50 ${ms(f.lastP50)}  p99 ${ms(f.lastP99)}`,
      `  send → ack to the sender                p50 ${ms(f.ackP50)}  p99 ${ms(f.ackP99)}`,
      ...(f.serverCpuMsPerMessage == null ? [] : [`  server CPU per message (${f.sockets} deliveries, text ${f.textBytes} bytes longer)  ${f.serverCpuMsPerMessage.toFixed(2)} ms`]),
      `  (server and the ${f.sockets} client sockets share this machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)})`,
    ].join('\n'),
  );
}

runWhenMain(import.meta.url, run);
