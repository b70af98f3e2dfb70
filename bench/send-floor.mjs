// What this machine allows for the send bench at best: the same load as sessions-send, against a
// bare node:http + better-sqlite3 server (bench/floor/server.mjs) that runs only the statements a
// send needs, on a database the app created. Once with the app's six statements per send, once
// with the reads cached (three writes). No auth, validation, events or framework: a ceiling for
// the app's figures, not a competitor.
import { fileURLToPath } from 'node:url';
import { DATABASES, formatSummary, runWhenMain, withDatabase, withServer } from './lib.mjs';
import { CLIENTS, createSessions, sendLoad } from './sessions-send.mjs';

export const name = 'send-floor';
export const description = `sessions-send's load against bare node:http + better-sqlite3 (SQLite), ${CLIENTS} clients`;

const FLOOR_ENTRY = fileURLToPath(new URL('./floor/server.mjs', import.meta.url));
const VARIANTS = [
  { label: 'six statements per send, as the app', env: { FLOOR_CACHED: '0' } },
  { label: 'reads cached, three writes per send', env: { FLOOR_CACHED: '1' } },
];
const [, CACHED] = VARIANTS;

/** The floor's figures on `db` (a database the app created) for `sessions` made by the app, with the reads cached. */
export function measure(db, sessions) {
  return withServer({ databaseUrl: db.url, entry: FLOOR_ENTRY, env: CACHED.env }, (floor) => sendLoad(floor, sessions));
}

export async function run() {
  const sqlite = DATABASES.find((database) => database.label === 'SQLite');
  if (!sqlite) return console.log('skipped: BENCH_DATABASES leaves out SQLite');
  await withDatabase(sqlite, async (db) => {
    const sessions = await withServer({ databaseUrl: db.url }, (app) => createSessions(app.baseUrl, CLIENTS));
    for (const variant of VARIANTS) {
      const summary = await withServer({ databaseUrl: db.url, entry: FLOOR_ENTRY, env: variant.env }, (floor) => sendLoad(floor, sessions));
      console.log(`${variant.label}\n${formatSummary(summary).replace(/^/gm, '  ')}`);
    }
  });
}

runWhenMain(import.meta.url, run);
