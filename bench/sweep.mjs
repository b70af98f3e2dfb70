// The expiry sweep at scale: 100,000 sessions of which 1,000 are due (500 past expiresAt, 500 inside
// their warning window), then sweeps with nothing due; on SQLite and PostgreSQL. The compiled app
// (`npm run build`, or BENCH_DIST) runs in-process, set up as main.ts does, on a fresh database
// seeded with direct SQL. SWEEP_EXPLAIN=1 prints the query plans of the sweep's SELECTs.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DATABASES, withDatabase, runWhenMain } from './lib.mjs';

export const name = 'sweep';
export const description = 'SessionExpiryCron.sweep() over 100,000 sessions: 1,000 due, then none';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist');
const SESSIONS = 100_000;
/** Every 100th session is due: the even hundreds past expiresAt, the odd ones inside their window. */
const DUE_EVERY = 100;
const IDLE_REPEATS = 5;
const AIMS = { dueMs: 1_000, idleMs: 20 };
const MINUTE_MS = 60_000;
const AGENT_ID = '00000000-0000-4000-8000-00000000a9e7';

export async function run() {
  console.log(`${name}: ${description}`);
  for (const database of DATABASES) {
    console.log(`\n== ${database.label} ==`);
    const unavailable = await database.whyUnavailable();
    if (unavailable) {
      console.log(`skipped: ${unavailable}`);
      continue;
    }
    try {
      await withDatabase(database, (db) => benchOn(db.url));
    } catch (error) {
      process.exitCode = 1;
      console.log(`FAILED: ${error instanceof Error ? error.stack : error}`);
    }
  }
}

async function benchOn(databaseUrl) {
  const kind = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const app = await bootApp(databaseUrl);
  try {
    const { cron, dataSource } = app;
    const statements = countStatements(dataSource);

    const started = performance.now();
    await seed(dataSource, kind, Date.now());
    console.log(`seeded ${SESSIONS.toLocaleString('en')} sessions, channels and tokens in ${ms(performance.now() - started)}`);

    const cold = await timedSweep(cron, statements);
    const now = Date.now();
    await makeDue(dataSource, kind, now);
    const due = await timedSweep(cron, statements);
    const idle = [];
    for (let i = 0; i < IDLE_REPEATS; i++) idle.push(await timedSweep(cron, statements));
    const idleMedian = [...idle].sort((a, b) => a.ms - b.ms)[Math.floor(IDLE_REPEATS / 2)];

    const expected = { warned: SESSIONS / DUE_EVERY / 2, expired: SESSIONS / DUE_EVERY / 2, purged: 0, failed: 0 };
    const dueCorrect = JSON.stringify(due.report) === JSON.stringify(expected);
    console.log(`idle sweep before (cold)  ${ms(cold.ms)}  ${cold.statements} statements`);
    console.log(`sweep, 1,000 due          ${ms(due.ms)}  ${due.statements} statements  ${JSON.stringify(due.report)}${dueCorrect ? '' : `  WRONG: expected ${JSON.stringify(expected)}`}`);
    console.log(`sweep, nothing due        ${ms(idle[0].ms)}  ${idle[0].statements} statements  (median of ${IDLE_REPEATS}: ${ms(idleMedian.ms)})`);
    console.log(`aims: 1,000 due < ${AIMS.dueMs} ms ${verdict(due.ms < AIMS.dueMs)}; nothing due < ${AIMS.idleMs} ms ${verdict(idle[0].ms < AIMS.idleMs)}`);
    if (!dueCorrect) process.exitCode = 1;

    if (process.env.SWEEP_EXPLAIN === '1') await explainSweepQueries(dataSource, kind, cron, statements);
  } finally {
    await app.close();
  }
}

/** The compiled app set up as main.ts does, on a loopback port nobody calls, with the scheduled sweep off. */
async function bootApp(databaseUrl) {
  const requireDist = createRequire(join(DIST, 'apps/api/src/main.js'));
  requireDist('reflect-metadata');
  const { SessionExpiryCron } = requireDist('../../../libs/sessions/src/index.js');
  if (!SessionExpiryCron) throw new Error(`${DIST} has no SessionExpiryCron: run \`npm run build\` first`);
  const { NestFactory } = requireDist('@nestjs/core');
  const { DataSource } = requireDist('typeorm');
  const { AppModule } = requireDist('./app.module.js');
  const { APP_OPTIONS, configureApp, createHttpAdapter } = requireDist('./bootstrap.js');
  // AppConfig reads the environment while the app is created; other benches in this process must not see it.
  const env = {
    DATABASE_URL: databaseUrl,
    SWITCHBOARD_ADMIN_TOKEN: `bench-admin-${process.pid}-0123456789abcdef`,
    SESSION_SWEEP_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'error',
  };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  let app;
  try {
    app = await NestFactory.create(AppModule, createHttpAdapter(), { ...APP_OPTIONS, logger: ['error'] });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { cron: app.get(SessionExpiryCron), dataSource: app.get(DataSource), close: () => app.close() };
}

async function timedSweep(cron, statements) {
  const before = statements.count;
  const started = performance.now();
  const report = await cron.sweep();
  return { ms: performance.now() - started, report, statements: statements.count - before };
}

/** Counts every statement TypeORM sends; `capture` records them while set. */
function countStatements(dataSource) {
  const counter = { count: 0, capture: undefined };
  const logQuery = dataSource.logger.logQuery.bind(dataSource.logger);
  dataSource.logger.logQuery = (query, parameters, queryRunner) => {
    counter.count++;
    counter.capture?.push({ query, parameters });
    return logQuery(query, parameters, queryRunner);
  };
  return counter;
}

/**
 * One agent; 100,000 channels, sessions and session tokens, all expiring 2 to 24 hours from now in
 * an order unrelated to insertion (so due rows are spread over the table, as in real life).
 */
async function seed(dataSource, kind, now) {
  const sql = kind === 'sqlite' ? sqliteSeed : postgresSeed;
  await dataSource.transaction(async (manager) => {
    if (kind === 'postgres') await manager.query(`SET LOCAL search_path TO "${dataSource.options.schema}"`);
    await manager.query(
      `INSERT INTO agents (id, name, status, settings, runtime, created_at, updated_at) VALUES ('${AGENT_ID}', 'bench-agent', 'active', '{}', '{}', ${now}, ${now})`,
    );
    for (const statement of sql(now)) await manager.query(statement);
  });
  if (kind === 'postgres') await dataSource.query(`ANALYZE ${['agents', 'channels', 'sessions', 'session_tokens'].map((table) => qualified(dataSource, table)).join(', ')}`);
}

/** The table name as raw SQL must write it: PostgreSQL runs on a schema of its own, off the search path. */
function qualified(dataSource, table) {
  return dataSource.options.schema ? `"${dataSource.options.schema}"."${table}"` : `"${table}"`;
}

const farExpiry = (i) => `${2 * 60 * MINUTE_MS} + ((${i} * 7919) % ${SESSIONS}) * 792`;

function sqliteSeed(now) {
  const seq = `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${SESSIONS - 1})`;
  const sessionId = `printf('00000000-0000-4000-8000-%012d', i)`;
  const channelId = `printf('00000000-0000-4000-9000-%012d', i)`;
  return [
    `INSERT INTO channels (id, name, type, metadata, created_at) ${seq} SELECT ${channelId}, NULL, 'session', '{}', ${now - 60 * MINUTE_MS} FROM seq`,
    `INSERT INTO sessions (id, agent_id, user_id, channel_id, status, timeout_minutes, auto_renew, max_duration_minutes, warning_threshold_minutes,
       metadata, renewal_count, created_by, created_at, last_activity, expires_at, expired_at, warned_at)
     ${seq} SELECT ${sessionId}, '${AGENT_ID}', 'bench-user-' || i, ${channelId}, 'active', 30, 1, 1440, 5,
       '{}', 0, NULL, ${now - 60 * MINUTE_MS}, ${now - 60 * MINUTE_MS}, ${now} + ${farExpiry('i')}, NULL, NULL FROM seq`,
    `INSERT INTO session_tokens (token_hash, session_id, created_at) ${seq} SELECT printf('%064d', i), ${sessionId}, ${now - 60 * MINUTE_MS} FROM seq`,
  ];
}

function postgresSeed(now) {
  const seq = `FROM generate_series(0, ${SESSIONS - 1}) AS i`;
  const sessionId = `'00000000-0000-4000-8000-' || lpad(i::text, 12, '0')`;
  const channelId = `'00000000-0000-4000-9000-' || lpad(i::text, 12, '0')`;
  return [
    `INSERT INTO channels (id, name, type, metadata, created_at) SELECT ${channelId}, NULL, 'session', '{}', ${now - 60 * MINUTE_MS} ${seq}`,
    `INSERT INTO sessions (id, agent_id, user_id, channel_id, status, timeout_minutes, auto_renew, max_duration_minutes, warning_threshold_minutes,
       metadata, renewal_count, created_by, created_at, last_activity, expires_at, expired_at, warned_at)
     SELECT ${sessionId}, '${AGENT_ID}', 'bench-user-' || i, ${channelId}, 'active', 30, true, 1440, 5,
       '{}', 0, NULL, ${now - 60 * MINUTE_MS}, ${now - 60 * MINUTE_MS}, ${now}::bigint + ${farExpiry('i')}, NULL, NULL ${seq}`,
    `INSERT INTO session_tokens (token_hash, session_id, created_at) SELECT lpad(i::text, 64, '0'), ${sessionId}, ${now - 60 * MINUTE_MS} ${seq}`,
  ];
}

/** Every 100th session due: the even hundreds expired a minute ago, the odd ones 2 minutes from the end (inside a 5-minute window). */
async function makeDue(dataSource, kind, now) {
  const index = kind === 'sqlite' ? `CAST(substr(id, 25) AS INTEGER)` : `substr(id, 25)::int`;
  await dataSource.query(
    `UPDATE ${qualified(dataSource, 'sessions')} SET expires_at = CASE WHEN ${index} % ${2 * DUE_EVERY} = 0 THEN ${now - MINUTE_MS} ELSE ${now + 2 * MINUTE_MS} END WHERE ${index} % ${DUE_EVERY} = 0`,
  );
}

/** The plans of the SELECTs one sweep sends, run against the table as it is now. */
async function explainSweepQueries(dataSource, kind, cron, statements) {
  statements.capture = [];
  await cron.sweep();
  const selects = statements.capture.filter(({ query }) => /^\s*SELECT/i.test(query));
  statements.capture = undefined;
  for (const { query, parameters } of selects) {
    console.log(`\n${query.replace(/\s+/g, ' ')}\n  parameters: ${JSON.stringify(parameters)}`);
    const plan =
      kind === 'sqlite'
        ? (await dataSource.query(`EXPLAIN QUERY PLAN ${query}`, parameters)).map((row) => row.detail)
        : (await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, parameters)).map((row) => row['QUERY PLAN']);
    plan.forEach((line) => console.log(`  ${line}`));
  }
}

const ms = (value) => `${value.toFixed(1)} ms`;
const verdict = (met) => (met ? 'met' : 'MISSED');

runWhenMain(import.meta.url, run);
