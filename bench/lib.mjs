// Shared pieces of the benches: databases, the server under test, an HTTP client, the load loop
// and the figures it yields. Everything talks to loopback only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_ENTRY = join(ROOT, 'dist/apps/api/src/main.js');
const LOOPBACK = '127.0.0.1';
const PG_URL = `postgres://postgres@${LOOPBACK}:5432/test`;
/** The Redis a PostgreSQL server runs with, as a deployment does: BENCH_REDIS_URL, or this machine's; BENCH_REDIS_URL=off runs without. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? `redis://${LOOPBACK}:6379`;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 4_000;

export const ADMIN_TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`;

// ---------------------------------------------------------------- settings

/** Measured seconds per run: BENCH_SECONDS, default 10. */
export function benchSeconds(fallback = 10) {
  const raw = process.env.BENCH_SECONDS?.trim();
  if (!raw) return fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new Error(`BENCH_SECONDS must be a number of seconds from 0 to 3600, got "${raw}"`);
  }
  return seconds;
}

/** Extra flags for the server's node, e.g. BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function serverNodeFlags() {
  return (process.env.BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

// ---------------------------------------------------------------- databases

const ALL_DATABASES = [
  { label: 'SQLite', whyUnavailable: async () => null, create: createSqliteDatabase },
  { label: 'PostgreSQL', whyUnavailable: postgresUnavailable, create: createPostgresDatabase },
];

/** Each database a bench runs on (BENCH_DATABASES=sqlite,postgresql picks some): a fresh one per run, removed afterwards. */
export const DATABASES = selectDatabases(process.env.BENCH_DATABASES);

function selectDatabases(raw = '') {
  const wanted = raw.toLowerCase().split(',').map((label) => label.trim()).filter(Boolean);
  const unknown = wanted.filter((label) => !ALL_DATABASES.some((database) => database.label.toLowerCase() === label));
  if (unknown.length > 0) throw new Error(`BENCH_DATABASES: unknown ${unknown.join(', ')} (known: sqlite, postgresql)`);
  return wanted.length === 0 ? ALL_DATABASES : ALL_DATABASES.filter((database) => wanted.includes(database.label.toLowerCase()));
}

async function createSqliteDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  return {
    url: `sqlite:${join(dir, 'bench.sqlite')}`,
    serverEnv: {},
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A fresh schema, and the production shape when Redis answers: a multi-instance deployment runs
 * PostgreSQL with Redis, which turns on the read caches and the Socket.IO Redis adapter (each
 * broadcast is published), so the figures include what Redis costs and saves. `shape` says which ran.
 */
async function createPostgresDatabase() {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await withPg((client) => client.query(`CREATE SCHEMA "${schema}"`));
  const redis = REDIS_URL === 'off' ? false : await redisAnswers(REDIS_URL);
  return {
    url: `${PG_URL}?schema=${schema}`,
    serverEnv: redis ? { REDIS_URL, REDIS_KEY_PREFIX: schema } : {},
    shape: redis ? `with Redis at ${REDIS_URL} (read caches and the Socket.IO Redis adapter on)` : `without Redis (${REDIS_URL === 'off' ? 'BENCH_REDIS_URL=off' : `none answers at ${REDIS_URL}`}): read caches off`,
    drop: () => withPg((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}

async function redisAnswers(url) {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function postgresUnavailable() {
  try {
    await withPg((client) => client.query('SELECT 1'));
    return null;
  } catch (error) {
    return `PostgreSQL at ${LOOPBACK}:5432 does not answer (${error.message})`;
  }
}

async function withPg(work) {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `work(database)` on a fresh database, dropped afterwards whatever happens. */
export async function withDatabase(kind, work) {
  const database = await kind.create();
  try {
    return await work(database);
  } finally {
    await database.drop();
  }
}

// ---------------------------------------------------------------- the server under test

const liveServers = new Set();
const interruption = new AbortController();

/**
 * Aborted by the first Ctrl-C or SIGTERM: loads and waits stop early, so servers are stopped and
 * databases dropped as usual. A second signal exits at once.
 */
export const interrupted = interruption.signal;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted.aborted) process.exit(128 + osConstants.signals[signal]);
    interruption.abort(new Error(`interrupted by ${signal}`));
  });
}
// Even a crash of the bench must not leave a server holding a port and a database.
process.on('exit', () => liveServers.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts the built server (or another `entry` that reads PORT and DATABASE_URL the same way) on a
 * free loopback port and resolves once it answers HTTP.
 */
export async function startServer({ databaseUrl, env = {}, entry = SERVER_ENTRY }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...serverNodeFlags(), entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'error',
      SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveServers.add(child);
  const server = {
    baseUrl: `http://${LOOPBACK}:${port}`,
    pid: child.pid,
    output: captureOutput(child),
    stop: () => stopServer(child),
  };
  try {
    await waitUntilAnswering(server, child);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Runs `work(server)` against a server started for it, stopped afterwards whatever happens. */
export async function withServer(options, work) {
  const server = await startServer(options);
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Keeps the last few KB the server printed, to explain a failed start. */
function captureOutput(child) {
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  return () => tail;
}

async function waitUntilAnswering(server, child) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    interrupted.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering:\n${server.output()}`);
    }
    // Any HTTP status will do: the server only listens once migrations have run.
    if (await answers(`${server.baseUrl}/livez`)) return;
    await sleep(100);
  }
  throw new Error(`server did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${server.output()}`);
}

async function answers(url) {
  try {
    await httpRequest({ url, method: 'GET', timeoutMs: 1_000 });
    return true;
  } catch {
    return false;
  }
}

async function stopServer(child) {
  if (!liveServers.delete(child)) return;
  if (await signalAndWait(child, 'SIGTERM', STOP_TIMEOUT_MS)) return;
  await signalAndWait(child, 'SIGKILL', STOP_TIMEOUT_MS);
}

function signalAndWait(child, signal, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
    child.kill(signal);
  });
}

// ---------------------------------------------------------------- HTTP client

/** A client with its own keep-alive connection, sending the admin token on every request. */
export function createClient(baseUrl, token = ADMIN_TOKEN) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { authorization: `Bearer ${token}` };
  return {
    request: (method, path, body) => httpRequest({ url: baseUrl + path, method, body, headers, agent }),
    /** The parsed JSON body when the status is the expected one; throws otherwise. */
    async expect(status, method, path, body) {
      const response = await httpRequest({ url: baseUrl + path, method, body, headers, agent });
      if (response.status !== status) {
        throw new Error(`${method} ${path} answered ${response.status} instead of ${status}: ${response.text.slice(0, 500)}`);
      }
      return JSON.parse(response.text);
    },
    close: () => agent.destroy(),
  };
}

/** Resolves with `{ status, text }` for any HTTP answer; rejects on network errors and timeouts. */
function httpRequest({ url, method, body, headers = {}, agent, timeoutMs = REQUEST_TIMEOUT_MS }) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const allHeaders = payload === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: allHeaders, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------- load and figures

const NO_ANSWER = 'no answer';

/** Linux's clock ticks per second, in which /proc/<pid>/stat counts CPU time. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in ms; null where /proc cannot tell. Unlike
 * throughput, CPU time per request hardly moves when the VM's neighbours take CPU from it.
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Runs every worker as its own sequential loop, all side by side, until the deadline: first a
 * warm-up whose requests are not recorded, then `durationMs` of measurement. A worker is a
 * function `(iteration) => Promise<{ status }>`. Requests started before the deadline finish,
 * so the measured time is taken when the last one has. With `serverPid`, the server's CPU time
 * over the measured part is recorded too. Throws when interrupted.
 */
export async function runLoad({ workers, warmupMs, durationMs, serverPid }) {
  let cpuAtStart = null;
  const cpuTimer = serverPid === undefined ? undefined : setTimeout(() => (cpuAtStart = processCpuMs(serverPid)), warmupMs);
  const measureFrom = process.hrtime.bigint() + BigInt(Math.round(warmupMs * 1e6));
  const deadline = measureFrom + BigInt(Math.round(durationMs * 1e6));
  const latenciesMs = [];
  const statuses = new Map();
  const loop = async (worker) => {
    for (let iteration = 0; process.hrtime.bigint() < deadline && !interrupted.aborted; iteration++) {
      const started = process.hrtime.bigint();
      const status = await worker(iteration).then((response) => response.status, () => NO_ANSWER);
      if (started < measureFrom) continue;
      latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(workers.map(loop));
  clearTimeout(cpuTimer);
  interrupted.throwIfAborted();
  const elapsedMs = Number(process.hrtime.bigint() - measureFrom) / 1e6;
  const cpuAtEnd = serverPid === undefined ? null : processCpuMs(serverPid);
  const serverCpuMs = cpuAtStart === null || cpuAtEnd === null ? null : cpuAtEnd - cpuAtStart;
  return { latenciesMs, statuses, elapsedMs, serverCpuMs };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Figures of a `runLoad` result; failed requests count as sends and are reported as non-2xx. */
export function summarize({ latenciesMs, statuses, elapsedMs, serverCpuMs = null }) {
  const sorted = Float64Array.from(latenciesMs).sort();
  const non2xx = [...statuses].filter(([status]) => !(status >= 200 && status < 300));
  return {
    sends: sorted.length,
    perSecond: sorted.length / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    non2xx: non2xx.reduce((total, [, count]) => total + count, 0),
    non2xxByStatus: Object.fromEntries(non2xx),
    serverCpuMsPerSend: serverCpuMs === null || sorted.length === 0 ? null : serverCpuMs / sorted.length,
  };
}

export function formatSummary(summary) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  const byStatus = Object.entries(summary.non2xxByStatus).map(([status, count]) => `${status}: ${count}`);
  return [
    `sends    ${summary.sends} (${summary.perSecond.toFixed(0)}/s)`,
    `latency  p50 ${ms(summary.p50)}  p90 ${ms(summary.p90)}  p99 ${ms(summary.p99)}  max ${ms(summary.max)}`,
    `non-2xx  ${summary.non2xx}${byStatus.length ? ` (${byStatus.join(', ')})` : ''}`,
    ...(summary.serverCpuMsPerSend == null ? [] : [`server   ${summary.serverCpuMsPerSend.toFixed(2)} ms of CPU per send`]),
  ].join('\n');
}

/** Lets a bench file also run on its own (`node bench/<file>.mjs`), exiting non-zero on failure. */
export function runWhenMain(moduleUrl, run) {
  if (process.argv[1] && moduleUrl === pathToFileURL(process.argv[1]).href) {
    run().then(
      () => process.exit(process.exitCode ?? 0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
