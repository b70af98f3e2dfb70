import { DataSource } from 'typeorm';
import { sqliteStatements } from './sqlite-statements';

/**
 * Runs one hand-written statement with `?` placeholders on SQLite or PostgreSQL and returns its
 * rows. For the few statements TypeORM's builders cannot express portably (UPDATE … RETURNING on
 * SQLite) or make slow (they inline numbers into SQLite SQL, defeating the statement cache). On
 * SQLite it runs a cached prepared statement directly.
 */
export async function queryRows<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  if (dataSource.options.type !== 'postgres') return sqliteStatements(dataSource).run<T>(sql, params);
  let index = 0;
  const raw: unknown = await dataSource.query(sql.replace(/\?/g, () => `$${++index}`), params);
  // TypeORM's PostgreSQL runner answers UPDATE/DELETE … RETURNING as [rows, rowCount].
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return (Array.isArray(raw) ? raw : []) as T[];
}

/**
 * A hand-written write of a hot path (a message, a session's activity). On SQLite it commits
 * together with the other writes queued in the same turn of the event loop (see SqliteStatements);
 * PostgreSQL's pool already commits concurrent writes side by side.
 */
export function writeRows<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  if (dataSource.options.type === 'postgres') return queryRows<T>(dataSource, sql, params);
  return sqliteStatements(dataSource).write<T>(sql, params);
}

/** The one function name that differs between the two databases for what the hot paths need. */
export function greatestFunction(dataSource: DataSource): 'MAX' | 'GREATEST' {
  return dataSource.options.type === 'postgres' ? 'GREATEST' : 'MAX';
}

/** A boolean as a bound parameter: better-sqlite3 binds no booleans, PostgreSQL reads '1'/'0'. */
export function boolParam(value: boolean): number {
  return value ? 1 : 0;
}
