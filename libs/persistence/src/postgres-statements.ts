import { escapeLiteral, Pool, QueryResult } from 'pg';
import { Logger, QueryFailedError } from 'typeorm';
import type { Statement } from './sql-statement';

/** A batch this long goes out at once, whatever else the event loop still queues. */
const MAX_STATEMENTS_PER_TRIP = 200;

interface Queued {
  statements: Statement[];
  serializeOn?: string;
  resolve(rows: unknown[][]): void;
  reject(error: unknown): void;
}

/**
 * The hand-written statements of a PostgreSQL DataSource, sent the way SQLite's group commit writes
 * them: everything queued during one turn of the event loop goes to the server as one simple query,
 * which PostgreSQL runs as one transaction, statement after statement, each seeing the rows of those
 * before it. A send that took a dozen round trips (and a commit, with its WAL flush, for each write)
 * shares one with the sends beside it. Callers are answered only after that commit.
 *
 * Writes that must commit one after the other name a key (`serializeOn`): the batch takes the
 * keys' advisory locks first, in one order for every batch, so two batches never wait on each other
 * in a cycle. When any statement fails, PostgreSQL undoes the whole batch: each caller's statements
 * then run again on their own, so one caller's failure (a duplicate client id) is that caller's only.
 */
export class PostgresStatements {
  private queued: Queued[] = [];
  private queuedStatements = 0;
  private flushScheduled = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Pick<Logger, 'logQuery'>,
  ) {}

  /** Runs the statements together, in the next round trip; the rows of each. */
  run(statements: Statement[], serializeOn?: string): Promise<unknown[][]> {
    return new Promise((resolve, reject) => {
      this.queued.push({ statements, serializeOn, resolve, reject });
      this.queuedStatements += statements.length;
      if (this.queuedStatements >= MAX_STATEMENTS_PER_TRIP) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs one statement in a round trip of its own, planned for its values; its rows. */
  async runAlone(sql: string, params: unknown[]): Promise<unknown[]> {
    let index = 0;
    const text = sql.replace(/\?/g, () => `$${++index}`);
    this.logger.logQuery(text, params);
    try {
      return (await this.pool.query(text, params)).rows as unknown[];
    } catch (error) {
      throw new QueryFailedError(text, params, error as Error);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    this.queuedStatements = 0;
    if (batch.length === 0) return;
    if (batch.length === 1) return void this.runQueued(batch[0]);
    void this.runTogether(batch);
  }

  private async runTogether(batch: Queued[]): Promise<void> {
    const keys = [...new Set(batch.flatMap((queued) => (queued.serializeOn === undefined ? [] : [queued.serializeOn])))].sort();
    let results: QueryResult[];
    try {
      results = await this.query([...keys.map(lockStatement), ...batch.flatMap((queued) => queued.statements)]);
    } catch {
      await Promise.all(batch.map((queued) => this.runQueued(queued)));
      return;
    }
    let next = keys.length;
    for (const queued of batch) {
      queued.resolve(results.slice(next, next + queued.statements.length).map((result) => result.rows as unknown[]));
      next += queued.statements.length;
    }
  }

  private async runQueued(queued: Queued): Promise<void> {
    const locks = queued.serializeOn === undefined ? [] : [lockStatement(queued.serializeOn)];
    try {
      const results = await this.query([...locks, ...queued.statements]);
      queued.resolve(results.slice(locks.length).map((result) => result.rows as unknown[]));
    } catch (error) {
      queued.reject(error);
    }
  }

  private async query(statements: Statement[]): Promise<QueryResult[]> {
    const text = statements.map(({ sql, params }) => `${withLiterals(sql, params)};`).join('\n');
    this.logger.logQuery(text);
    try {
      const results = (await this.pool.query(text)) as unknown as QueryResult | QueryResult[];
      return Array.isArray(results) ? results : [results];
    } catch (error) {
      throw new QueryFailedError(text, [], error as Error);
    }
  }
}

function lockStatement(key: string): Statement {
  return { sql: 'SELECT pg_advisory_xact_lock(hashtext(?))', params: [key] };
}

/**
 * The statement with its `?` parameters written in as quoted literals, which PostgreSQL types from
 * their context exactly as it types a parameter sent without a type.
 */
export function withLiterals(sql: string, params: readonly unknown[]): string {
  let index = 0;
  return sql.replace(/\?/g, () => literal(params[index++]));
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return escapeLiteral(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return escapeLiteral(String(value));
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  throw new TypeError(`A hand-written statement's parameter must be a string, number, boolean, Date or null, not ${Array.isArray(value) ? 'an array' : typeof value}`);
}
