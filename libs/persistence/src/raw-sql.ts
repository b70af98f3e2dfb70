import { DataSource } from 'typeorm';
import { postgresStatements } from './postgres-statements';
import { sqliteStatements } from './sqlite-statements';

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Runs one hand-written statement with `?` placeholders on SQLite or PostgreSQL and returns its
 * rows. For the few statements TypeORM's builders cannot express portably (UPDATE … RETURNING on
 * SQLite) or make slow (they inline numbers into SQLite SQL, defeating the statement cache, and
 * take a round trip each on PostgreSQL). On SQLite it runs a cached prepared statement directly; on
 * PostgreSQL it shares the next round trip with the other statements of this turn of the event loop
 * (see PostgresStatements), unless it must run `alone`: a sweep's statement over many rows, which
 * should neither hold up the sends beside it nor hold their locks. Both bypass TypeORM's query runner but still go through its logger.
 */
export async function queryRows<T>(dataSource: DataSource, sql: string, params: unknown[], options: { alone?: boolean } = {}): Promise<T[]> {
  if (dataSource.options.type === 'postgres') {
    const statements = postgresStatements(dataSource);
    return (options.alone ? await statements.runAlone(sql, params) : (await statements.run([{ sql, params }]))[0]) as T[];
  }
  dataSource.logger.logQuery(sql, params);
  return sqliteStatements(dataSource).run<T>(sql, params);
}

/**
 * A hand-written write of a hot path (a message, a session's activity). It commits together with
 * the other writes queued in the same turn of the event loop (see SqliteStatements and
 * PostgresStatements), and settles once that commit has happened.
 */
export async function writeRows<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  if (dataSource.options.type === 'postgres') return (await postgresStatements(dataSource).run([{ sql, params }]))[0] as T[];
  dataSource.logger.logQuery(sql, params);
  return sqliteStatements(dataSource).write<T>(sql, params);
}

/**
 * Hand-written writes that commit together or not at all, in the order given, each seeing the rows
 * of those before it; the rows of each. On SQLite they join the next group commit in a savepoint of
 * their own; on PostgreSQL they run in one transaction, after `serializeOn`'s advisory lock when one
 * is given: writers of the same key then commit one after the other, each statement seeing the
 * previous writer's rows.
 */
export async function writeTogether(dataSource: DataSource, statements: Statement[], options: { serializeOn?: string } = {}): Promise<unknown[][]> {
  if (dataSource.options.type === 'postgres') return postgresStatements(dataSource).run(statements, options.serializeOn);
  for (const { sql, params } of statements) dataSource.logger.logQuery(sql, params);
  return sqliteStatements(dataSource).writeAll(statements);
}

/** The one function name that differs between the two databases for what the hot paths need. */
export function greatestFunction(dataSource: DataSource): 'MAX' | 'GREATEST' {
  return dataSource.options.type === 'postgres' ? 'GREATEST' : 'MAX';
}

/** A boolean as a bound parameter: better-sqlite3 binds no booleans, PostgreSQL reads '1'/'0'. */
export function boolParam(value: boolean): number {
  return value ? 1 : 0;
}
