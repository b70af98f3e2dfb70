import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A store no other suite or run touches, and how to throw it away. */
export interface TestDatabase {
  /** What the app is started with as DATABASE_URL. */
  url: string;
  drop(): Promise<void>;
}

const uniqueName = () => `sb_test_${process.pid}_${randomBytes(4).toString('hex')}`;

/** An in-memory SQLite database: the default, nothing to clean up; it lives as long as the app. */
export function sqliteInMemory(): TestDatabase {
  return { url: 'sqlite::memory:', drop: async () => undefined };
}

/** A fresh SQLite file in the temp folder: survives `close({ keepDatabase: true })`, e.g. to restart on it, and two apps can share it. */
export function sqliteFile(): TestDatabase {
  const path = join(tmpdir(), `${uniqueName()}.sqlite`);
  return {
    url: `sqlite:${path}`,
    drop: async () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(path + suffix, { force: true })),
  };
}

/** A fresh schema on the PostgreSQL server at `serverUrl` (e.g. `postgres://postgres@127.0.0.1:5432/test`), dropped with everything in it. */
export async function postgresSchema(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueName();
  await withPg(serverUrl, (client) => client.query(`CREATE SCHEMA "${name}"`));
  const url = new URL(serverUrl);
  url.searchParams.set('schema', name);
  return {
    url: url.toString(),
    drop: async () => {
      await withPg(serverUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`));
    },
  };
}

async function withPg<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
