import type { Pool, PoolClient } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { sqliteStatements } from './sqlite-statements';

/** Per statement text, the name it is prepared under on every PostgreSQL connection. */
const statementNames = new Map<string, string>();

/**
 * Runs one hand-written statement with `?` placeholders on SQLite or PostgreSQL and returns its
 * rows. For the few statements TypeORM's builders cannot express portably (UPDATE … RETURNING on
 * SQLite) or make slow (they inline numbers into SQLite SQL, defeating the statement cache). On
 * SQLite it runs a cached prepared statement directly. On PostgreSQL it runs a named prepared
 * statement, which each pooled connection parses once and may plan once for all parameters, unless
 * `planEachCall` asks for a plan fitted to each call's values (a range whose size varies widely).
 * Both bypass TypeORM's query runner but still go through its logger.
 */
export async function queryRows<T>(dataSource: DataSource, sql: string, params: unknown[], options: { planEachCall?: boolean } = {}): Promise<T[]> {
  dataSource.logger.logQuery(sql, params);
  if (dataSource.options.type !== 'postgres') return sqliteStatements(dataSource).run<T>(sql, params);
  const text = positionalParameters(sql);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  try {
    const name = options.planEachCall ? undefined : statementName(text);
    return (await pool.query({ name, text, values: params })).rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, params, error as Error);
  }
}

/** PostgreSQL's `$1, $2, …` for the `?` placeholders every hand-written statement uses. */
function positionalParameters(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `switchboard_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A hand-written write of a hot path (a message, a session's activity). On SQLite it commits
 * together with the other writes queued in the same turn of the event loop (see SqliteStatements);
 * PostgreSQL's pool already commits concurrent writes side by side.
 */
export function writeRows<T>(dataSource: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  if (dataSource.options.type === 'postgres') return queryRows<T>(dataSource, sql, params);
  dataSource.logger.logQuery(sql, params);
  return sqliteStatements(dataSource).write<T>(sql, params);
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * Hand-written writes that commit together or not at all, in the order given; the rows of each.
 * On SQLite they join the same group commit, where a statement that fails undoes only itself (so a
 * later statement should depend on the earlier one's row, e.g. INSERT … SELECT … WHERE it exists).
 * On PostgreSQL they run in one transaction, after `serializeOn`'s advisory lock when one is given:
 * writers of the same key then commit one after the other, each statement seeing the previous
 * writer's rows.
 */
export async function writeTogether(dataSource: DataSource, statements: Statement[], options: { serializeOn?: string } = {}): Promise<unknown[][]> {
  if (dataSource.options.type !== 'postgres') {
    const sqlite = sqliteStatements(dataSource);
    return Promise.all(
      statements.map(({ sql, params }) => {
        dataSource.logger.logQuery(sql, params);
        return sqlite.write<unknown>(sql, params);
      }),
    );
  }
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    if (options.serializeOn !== undefined) await onClient(dataSource, client, 'SELECT pg_advisory_xact_lock(hashtext(?))', [options.serializeOn]);
    const results: unknown[][] = [];
    for (const { sql, params } of statements) results.push(await onClient(dataSource, client, sql, params));
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (failed = true));
    throw error;
  } finally {
    client.release(failed);
  }
}

async function onClient(dataSource: DataSource, client: PoolClient, sql: string, params: unknown[]): Promise<unknown[]> {
  dataSource.logger.logQuery(sql, params);
  const text = positionalParameters(sql);
  try {
    return (await client.query({ name: statementName(text), text, values: params })).rows as unknown[];
  } catch (error) {
    throw new QueryFailedError(text, params, error as Error);
  }
}

/** The one function name that differs between the two databases for what the hot paths need. */
export function greatestFunction(dataSource: DataSource): 'MAX' | 'GREATEST' {
  return dataSource.options.type === 'postgres' ? 'GREATEST' : 'MAX';
}

/** A boolean as a bound parameter: better-sqlite3 binds no booleans, PostgreSQL reads '1'/'0'. */
export function boolParam(value: boolean): number {
  return value ? 1 : 0;
}
