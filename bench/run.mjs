// Runs the benches: BENCHES on every database (see DATABASES in lib.mjs), each on a fresh
// database and a freshly started server; STANDALONE ones set up what they need and print their own
// figures. BENCH_ONLY=name,name runs a subset. Build first: `npm run bench` does both.
import { DATABASES, benchSeconds, formatSummary, interrupted, withDatabase, withServer } from './lib.mjs';
import * as pgFloor from './pg-floor.mjs';
import * as sendFloor from './send-floor.mjs';
import * as sessionsSend from './sessions-send.mjs';
import * as socketBroadcast from './socket-broadcast.mjs';
import * as socketIdle from './socket-idle.mjs';
import * as sweep from './sweep.mjs';
import * as uuidV7 from './uuid-v7.mjs';

const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const selected = (bench) => only.length === 0 || only.includes(bench.name);
const BENCHES = [sessionsSend].filter(selected);
/** The ceiling each database's figures are judged against, measured right after them on the same database and sessions. */
const CEILINGS = { SQLite: sendFloor, PostgreSQL: pgFloor };
const STANDALONE = [sendFloor, pgFloor, socketBroadcast, socketIdle, sweep, uuidV7].filter(selected);

async function main() {
  console.log(`Switchboard bench: node ${process.version}, ${benchSeconds()} s per run (BENCH_SECONDS)`);
  let failures = 0;
  for (const database of DATABASES) {
    if (interrupted.aborted) break;
    console.log(`\n== ${database.label} ==`);
    const unavailable = await database.whyUnavailable();
    if (unavailable) {
      console.log(`skipped: ${unavailable}`);
      continue;
    }
    for (const bench of BENCHES) {
      if (interrupted.aborted) break;
      if (!(await runBench(bench, database))) failures++;
    }
  }
  for (const bench of STANDALONE) {
    if (interrupted.aborted) break;
    console.log(`\n== ${bench.name}: ${bench.description} ==`);
    try {
      await bench.run();
    } catch (error) {
      failures++;
      console.log(indent(`FAILED: ${error?.stack ?? String(error)}`));
    }
  }
  process.exitCode = interrupted.aborted ? 130 : failures > 0 || process.exitCode ? 1 : 0;
}

async function runBench(bench, database) {
  console.log(`\n${bench.name}: ${bench.description}`);
  try {
    const { summary, ceiling } = await withDatabase(database, async (db) => {
      if (db.shape) console.log(`  ${database.label} ${db.shape}`);
      const { summary, sessions } = await withServer({ databaseUrl: db.url, env: { ...db.serverEnv, ...bench.serverEnv } }, (server) => bench.run(server));
      const floor = CEILINGS[database.label];
      return { summary, ceiling: floor && !interrupted.aborted ? await floor.measure(db, sessions) : null };
    });
    console.log(indent([formatSummary(summary), ...(bench.verdict?.(database, summary, ceiling) ?? [])].join('\n')));
    return true;
  } catch (error) {
    const detail = interrupted.aborted ? interrupted.reason.message : (error?.stack ?? String(error));
    console.log(indent(`FAILED: ${detail}`));
    return false;
  }
}

const indent = (text) => text.replace(/^/gm, '  ');

await main();
