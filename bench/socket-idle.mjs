// How many idle authenticated Socket.IO connections one instance holds, and what each costs it in
// memory. The server runs with a tiny preloaded probe that, on SIGWINCH, collects garbage and writes
// process.memoryUsage() to a file (not SIGUSR2: Nest's shutdown hooks stop the app on it); RSS is
// also read from /proc/<pid>/status. The client sockets all live in this process. `node bench/socket-idle.mjs` runs it alone (build first: npm run build).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { ADMIN_TOKEN, DATABASES, withDatabase, withServer, runWhenMain } from './lib.mjs';

const TARGET_SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const BATCH = 200;
const CONNECT_TIMEOUT_MS = 10_000;
const CONNECT_PHASE_MS = 120_000;
const SETTLE_MS = 2_000;
const PROBE_TIMEOUT_MS = 10_000;
const TARGET_KB_PER_SOCKET = 50;
/** File descriptors kept free for the database, HTTP and the runtime. */
const FD_HEADROOM = 500;

export const name = 'socket-idle';
export const description = `idle authenticated sockets (up to ${TARGET_SOCKETS}) and the server memory per socket`;

const PROBE_SOURCE = `
const { writeFileSync } = require('node:fs');
process.on('SIGWINCH', () => {
  if (typeof gc === 'function') { gc(); gc(); }
  const m = process.memoryUsage();
  writeFileSync(process.env.MEMORY_PROBE_FILE, JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, at: Date.now() }));
});
`;

/** Runs on a fresh SQLite database with a server of its own, started with the memory probe. */
export async function run() {
  const probe = join(tmpdir(), `switchboard-memory-probe-${randomBytes(4).toString('hex')}`);
  writeFileSync(`${probe}.cjs`, PROBE_SOURCE);
  try {
    const env = { NODE_OPTIONS: `--expose-gc --require ${probe}.cjs`, MEMORY_PROBE_FILE: `${probe}.json` };
    return await withDatabase(DATABASES[0], (db) => withServer({ databaseUrl: db.url, env }, (server) => measure(server, `${probe}.json`)));
  } finally {
    rmSync(`${probe}.cjs`, { force: true });
    rmSync(`${probe}.json`, { force: true });
  }
}

async function measure(server, probeFile) {
  try {
    return await measureOn(server, probeFile);
  } catch (error) {
    throw new Error(`${error.message}\nserver output:\n${server.output()}`, { cause: error });
  }
}

async function measureOn(server, probeFile) {
  const limit = Math.min(TARGET_SOCKETS, openFileLimit() - FD_HEADROOM);
  const sockets = [];
  try {
    // Warm-up: whatever the first connections initialise lazily is not charged to the idle sockets.
    const warmup = await connectBatch(server.baseUrl, BATCH);
    warmup.sockets.forEach((socket) => socket.disconnect());
    await sleep(SETTLE_MS);
    const before = await readMemory(server.pid, probeFile);

    const started = Date.now();
    let failures = 0;
    let lastError;
    while (sockets.length < limit && Date.now() - started < CONNECT_PHASE_MS) {
      const batch = await connectBatch(server.baseUrl, Math.min(BATCH, limit - sockets.length));
      sockets.push(...batch.sockets);
      failures += batch.failures;
      lastError = batch.lastError ?? lastError;
      if (batch.failures > batch.sockets.length) break;
    }
    const connectSeconds = (Date.now() - started) / 1000;
    await sleep(SETTLE_MS);
    const connected = sockets.filter((socket) => socket.connected).length;
    const after = await readMemory(server.pid, probeFile);

    const figures = {
      target: TARGET_SOCKETS,
      limit,
      connected,
      failures,
      lastError,
      connectSeconds,
      before,
      after,
      rssKbPerSocket: (after.vmRss - before.vmRss) / 1024 / connected,
      heapKbPerSocket: (after.heapUsed - before.heapUsed) / 1024 / connected,
      clientRss: process.memoryUsage().rss,
    };
    print(figures);
    return figures;
  } finally {
    sockets.forEach((socket) => socket.disconnect());
  }
}

async function connectBatch(baseUrl, count) {
  const results = await Promise.allSettled(Array.from({ length: count }, () => connect(baseUrl)));
  const sockets = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  const failed = results.filter((r) => r.status === 'rejected');
  return { sockets, failures: failed.length, lastError: failed.at(-1)?.reason?.message };
}

function connect(baseUrl) {
  const socket = io(baseUrl, { auth: { token: ADMIN_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

/** The server's RSS from /proc and its heap after a forced GC, from the probe. */
async function readMemory(pid, probeFile) {
  rmSync(probeFile, { force: true });
  process.kill(pid, 'SIGWINCH');
  const deadline = Date.now() + PROBE_TIMEOUT_MS;
  while (!existsSync(probeFile)) {
    if (Date.now() > deadline) throw new Error(`the server's memory probe did not answer within ${PROBE_TIMEOUT_MS} ms`);
    await sleep(50);
  }
  await sleep(50);
  const usage = JSON.parse(readFileSync(probeFile, 'utf8'));
  const vmRssKb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return { ...usage, vmRss: vmRssKb * 1024 };
}

function openFileLimit() {
  try {
    const raw = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return raw === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(raw);
  } catch {
    return 1024;
  }
}

function print(f) {
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const limited = f.limit < f.target ? ` (capped at ${f.limit} by ulimit -n; raise it for more)` : '';
  console.log(
    [
      `${name}: idle sockets authenticated with the admin token, connected ${BATCH} at a time`,
      `  connected  ${f.connected} of ${f.target}${limited} in ${f.connectSeconds.toFixed(1)} s, ${f.failures} refused or timed out${f.lastError ? ` (last: ${f.lastError})` : ''}`,
      `  server RSS       ${mb(f.before.vmRss)} → ${mb(f.after.vmRss)}: ${f.rssKbPerSocket.toFixed(1)} KB per socket (aim: under ${TARGET_KB_PER_SOCKET} KB: ${f.rssKbPerSocket < TARGET_KB_PER_SOCKET ? 'met' : 'NOT met'})`,
      `  server heapUsed  ${mb(f.before.heapUsed)} → ${mb(f.after.heapUsed)}: ${f.heapKbPerSocket.toFixed(1)} KB per socket (after a forced GC)`,
      `  bench process RSS with its ${f.connected} client sockets: ${mb(f.clientRss)}`,
    ].join('\n'),
  );
}

runWhenMain(import.meta.url, run);
