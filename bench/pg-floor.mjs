// What this machine allows for a durable send on PostgreSQL at best: sessions-send's load against a
// bare node:http + pg server (bench/floor/pg-server.mjs) that makes one round trip per send (one
// statement checks the session, stores the message, enqueues its turn and slides the expiry) and
// answers no agent. A ceiling for the app's PostgreSQL figure, not a competitor.
import { fileURLToPath } from 'node:url';
import { DATABASES, formatSummary, runWhenMain, withDatabase, withServer } from './lib.mjs';
import { CLIENTS, createSessions, sendLoad } from './sessions-send.mjs';

export const name = 'pg-floor';
export const description = `sessions-send's load against bare node:http + pg (PostgreSQL), one round trip per send, ${CLIENTS} clients`;

const FLOOR_ENTRY = fileURLToPath(new URL('./floor/pg-server.mjs', import.meta.url));

/** The floor's figures on `db` (a database the app created), for `sessions` made by the app. */
export function measure(db, sessions) {
  return withServer({ databaseUrl: db.url, entry: FLOOR_ENTRY }, (floor) => sendLoad(floor, sessions));
}

export async function run() {
  const postgres = DATABASES.find((database) => database.label === 'PostgreSQL');
  if (!postgres) return console.log('skipped: BENCH_DATABASES leaves out PostgreSQL');
  const unavailable = await postgres.whyUnavailable();
  if (unavailable) return console.log(`skipped: ${unavailable}`);
  await withDatabase(postgres, async (db) => {
    const sessions = await withServer({ databaseUrl: db.url, env: db.serverEnv }, (app) => createSessions(app.baseUrl, CLIENTS));
    console.log(formatSummary(await measure(db, sessions)).replace(/^/gm, '  '));
  });
}

runWhenMain(import.meta.url, run);
