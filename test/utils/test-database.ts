import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** `TEST_DATABASE=postgres` (the `:pg` suites) runs the same suites on PostgreSQL. */
export const onPostgres = process.env.TEST_DATABASE === 'postgres';
const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database no other suite or run touches: a fresh PostgreSQL schema or a fresh SQLite file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (!onPostgres) {
    const path = join(tmpdir(), `${name}.sqlite`);
    return {
      url: `sqlite:${path}`,
      drop: async () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(path + suffix, { force: true })),
    };
  }
  await withPg((client) => client.query(`CREATE SCHEMA "${name}"`));
  return {
    url: `${PG_URL}?schema=${name}`,
    drop: async () => {
      await withPg((client) => client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`));
    },
  };
}

async function withPg<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
