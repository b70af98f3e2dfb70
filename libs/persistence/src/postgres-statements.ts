import { Pool, PoolClient, QueryResult } from 'pg';
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
 * keys' advisory locks first, in one statement and in one order for every batch, so two batches
 * never wait on each other in a cycle. When any statement fails, PostgreSQL undoes the whole
 * batch: each caller's statements then run again on their own, so one caller's failure (a
 * duplicate client id) is that caller's only.
 */
export class PostgresStatements {
  private queued: Queued[] = [];
  private queuedStatements = 0;
  private flushScheduled = false;
  /** Each statement's prepared name; `null` for one PostgreSQL cannot prepare (a parameter of no inferable type), sent with literals. */
  private readonly names = new Map<string, string | null>();
  private readonly preparedOn = new WeakMap<PoolClient, Set<string>>();

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
    const text = positional(sql);
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
    const keys = [...new Set(batch.flatMap((queued) => (queued.serializeOn === undefined ? [] : [queued.serializeOn])))];
    const locks = keys.length === 0 ? [] : [lockStatement(keys)];
    let results: QueryResult[];
    try {
      results = await this.query([...locks, ...batch.flatMap((queued) => queued.statements)]);
    } catch {
      await Promise.all(batch.map((queued) => this.runQueued(queued)));
      return;
    }
    let next = locks.length;
    for (const queued of batch) {
      queued.resolve(results.slice(next, next + queued.statements.length).map((result) => result.rows as unknown[]));
      next += queued.statements.length;
    }
  }

  private async runQueued(queued: Queued): Promise<void> {
    const locks = queued.serializeOn === undefined ? [] : [lockStatement([queued.serializeOn])];
    try {
      const results = await this.query([...locks, ...queued.statements]);
      queued.resolve(results.slice(locks.length).map((result) => result.rows as unknown[]));
    } catch (error) {
      queued.reject(error);
    }
  }

  /**
   * One simple query, so one round trip, but each statement runs as `EXECUTE` of a statement this
   * connection prepared once: PostgreSQL parses and plans it once per connection rather than at
   * every send. The values go in as literals, typed by the prepared parameters.
   */
  private async query(statements: Statement[]): Promise<QueryResult[]> {
    const client = await this.pool.connect();
    let text = '';
    try {
      await this.prepare(client, statements);
      text = statements.map((statement) => `${this.executable(statement)};`).join('\n');
      this.logger.logQuery(text);
      const results = (await client.query(text)) as unknown as QueryResult | QueryResult[];
      client.release();
      return Array.isArray(results) ? results : [results];
    } catch (error) {
      // As pg's own pool.query does: a connection whose query failed is not reused.
      client.release(error as Error);
      throw new QueryFailedError(text, [], error as Error);
    }
  }

  /** Prepares on this connection the statements it has not prepared yet, one round trip each (once per statement and connection). */
  private async prepare(client: PoolClient, statements: Statement[]): Promise<void> {
    let prepared = this.preparedOn.get(client);
    if (!prepared) this.preparedOn.set(client, (prepared = new Set()));
    for (const { sql } of statements) {
      const name = this.nameOf(sql);
      if (name === null || prepared.has(name)) continue;
      try {
        await client.query(`PREPARE ${name} AS ${positional(sql)}`);
        prepared.add(name);
      } catch {
        this.names.set(sql, null);
      }
    }
  }

  private nameOf(sql: string): string | null {
    let name = this.names.get(sql);
    if (name === undefined) this.names.set(sql, (name = `switchboard_${this.names.size + 1}`));
    return name;
  }

  private executable({ sql, params }: Statement): string {
    const name = this.names.get(sql);
    if (!name) return withLiterals(sql, params);
    return params.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${params.map(literal).join(', ')})`;
  }
}

/** `?` placeholders as PostgreSQL's `$1`, `$2`, … */
function positional(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * Takes the keys' advisory locks in one statement, in sorted order (unnest reads the array in
 * order), so every batch locks in the same order. One statement rather than one per key: a batch
 * serializes on a key per send and per reply (~23 in a bench batch), and 23 statements took ~450 µs
 * of the round trip against ~200 µs for one, ~6 µs of this process's CPU each.
 */
function lockStatement(keys: readonly string[]): Statement {
  return { sql: 'SELECT pg_advisory_xact_lock(hashtext(key)) FROM unnest(CAST(? AS TEXT[])) AS key', params: [arrayLiteral([...keys].sort())] };
}

/** A text[] literal of `items`: each quoted, its quotes and backslashes escaped. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
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
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return quoted(String(value));
  if (value instanceof Date) return quoted(value.toISOString());
  throw new TypeError(`A hand-written statement's parameter must be a string, number, boolean, Date or null, not ${Array.isArray(value) ? 'an array' : typeof value}`);
}

/**
 * What pg's `escapeLiteral` returns (quotes doubled; with a backslash, backslashes doubled in an
 * E'' string), built by whole-string replaces: pg's appends one character at a time, which for the
 * thirty-odd literals of a send allocated 12% of the server's bytes and cost ~5x the time.
 */
export function quoted(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return `'${text}'`;
  const escaped = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

const NEEDS_ESCAPING = /['\\]/;
