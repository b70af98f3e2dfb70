import { postgresSchema, sqliteFile, TestDatabase } from '@switchboard/testing';

export type { TestDatabase } from '@switchboard/testing';

/** `TEST_DATABASE=postgres` (the `:pg` suites) runs the same suites on PostgreSQL. */
export const onPostgres = process.env.TEST_DATABASE === 'postgres';
export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database no other suite or run touches: a fresh PostgreSQL schema, or a fresh SQLite file (which outlives an app, for restarts and shared instances). */
export function createTestDatabase(): Promise<TestDatabase> {
  return onPostgres ? postgresSchema(PG_URL) : Promise.resolve(sqliteFile());
}
