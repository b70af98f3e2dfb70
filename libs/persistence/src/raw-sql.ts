import { DataSource } from 'typeorm';

/**
 * Runs one hand-written statement with `?` placeholders on SQLite or PostgreSQL and returns its
 * rows. For the few statements TypeORM's builders cannot express portably (UPDATE … RETURNING on
 * SQLite) or make slow (they inline numbers into SQLite SQL, defeating the statement cache).
 */
export async function queryRows<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const onPostgres = dataSource.options.type === 'postgres';
  let index = 0;
  const text = onPostgres ? sql.replace(/\?/g, () => `$${++index}`) : sql;
  const raw: unknown = await dataSource.query(text, params);
  // TypeORM's PostgreSQL runner answers UPDATE/DELETE … RETURNING as [rows, rowCount].
  if (onPostgres && Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return (Array.isArray(raw) ? raw : []) as T[];
}

/** The one function name that differs between the two databases for what the hot paths need. */
export function greatestFunction(dataSource: DataSource): 'MAX' | 'GREATEST' {
  return dataSource.options.type === 'postgres' ? 'GREATEST' : 'MAX';
}

/** A boolean as a bound parameter: better-sqlite3 binds no booleans, PostgreSQL reads '1'/'0'. */
export function boolParam(value: boolean): number {
  return value ? 1 : 0;
}
