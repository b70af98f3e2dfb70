import type { Database, Statement, Transaction } from 'better-sqlite3';
import { QueryFailedError } from 'typeorm';
import type { Statement as BoundStatement } from './sql-statement';

/** Statements of one caller that commit together or not at all: the rows of each. */
interface QueuedWrite {
  statements: BoundStatement[];
  resolve(rows: unknown[][]): void;
  reject(error: unknown): void;
}

type Outcome = { rows: unknown[][] } | { error: unknown };

/**
 * The better-sqlite3 handle behind a SQLite DataSource, for the statements of the hot paths:
 * prepared once and run without TypeORM's per-query machinery, and writes grouped into one commit.
 *
 * Group commit: every commit in WAL mode appends a frame for each page it touched, takes and drops
 * the write lock and updates the WAL index, and every thousand frames the connection stops to
 * checkpoint. Writes queued during one turn of the event loop share a single transaction, so a
 * page that several of them touch (the table's last leaf, a shared index page) is written once.
 * A caller's promise settles only after the commit: nothing is acknowledged before it is committed.
 * The whole transaction runs synchronously, so no other statement on the shared connection can
 * land inside it.
 */
export class SqliteStatements {
  private readonly statements = new Map<string, Statement>();
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;
  private readonly commit: Transaction<(batch: QueuedWrite[]) => Outcome[]>;
  /** The batch as one unit, without a savepoint per write: the common case, where no statement fails. */
  private readonly commitAllOrNothing: Transaction<(batch: QueuedWrite[]) => Outcome[]>;
  /** Inside the group commit's transaction better-sqlite3 runs this in a savepoint: a failing statement undoes its whole unit. */
  private readonly unit: Transaction<(statements: BoundStatement[]) => unknown[][]>;

  constructor(private readonly db: Database) {
    this.commit = db.transaction((batch: QueuedWrite[]) => batch.map((write) => this.attempt(write)));
    this.commitAllOrNothing = db.transaction((batch: QueuedWrite[]) =>
      batch.map((write) => {
        this.assertInTransaction();
        return { rows: write.statements.map(({ sql, params }) => this.run(sql, params)) };
      }),
    );
    this.unit = db.transaction((statements: BoundStatement[]) => statements.map(({ sql, params }) => this.run(sql, params)));
  }

  /** Runs one statement now and returns its rows (none for a statement that returns nothing). */
  run<T>(sql: string, params: unknown[]): T[] {
    try {
      const statement = this.prepared(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    } catch (error) {
      throw new QueryFailedError(sql, params, error as Error);
    }
  }

  /** Runs one statement in the next group commit; settles once that commit has (or has not) happened. */
  async write<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = await this.writeAll([{ sql, params }]);
    return rows as T[];
  }

  /**
   * Runs the statements, in order, in the next group commit, all or none of them: when one fails,
   * the others of the same call are undone too (and only they). The rows of each.
   */
  writeAll(statements: BoundStatement[]): Promise<unknown[][]> {
    return new Promise<unknown[][]>((resolve, reject) => {
      this.queued.push({ statements, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    // A transaction TypeORM opened (migrations) would take these writes in, and could roll them back.
    if (this.db.open && this.db.inTransaction) return this.scheduleFlush();
    const batch = this.queued;
    this.queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch(batch);
    } catch (error) {
      const failure = error instanceof QueryFailedError ? error : new QueryFailedError('COMMIT', [], error as Error);
      for (const write of batch) write.reject(failure);
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index];
      if ('error' in outcome) write.reject(outcome.error);
      else write.resolve(outcome.rows);
    });
  }

  /**
   * Savepoints cost a statement each way for every write, and writes rarely fail (a retried client
   * id): so the batch first commits as one, and only when a statement of it fails is it rolled back
   * and written again write by write, each in its savepoint, so that the failure is its writer's only.
   */
  private commitBatch(batch: QueuedWrite[]): Outcome[] {
    try {
      return this.commitAllOrNothing.immediate(batch);
    } catch (error) {
      if (!(error instanceof QueryFailedError)) throw error;
      return this.commit.immediate(batch);
    }
  }

  /**
   * A failing write undoes only itself (a single statement by SQLite's own statement rollback,
   * several by their savepoint). But when SQLite has rolled the whole transaction back (an I/O
   * error, a full disk), the batch fails as one: no write of it may then run on its own.
   */
  private attempt(write: QueuedWrite): Outcome {
    this.assertInTransaction();
    try {
      const { statements } = write;
      return { rows: statements.length === 1 ? [this.run(statements[0].sql, statements[0].params)] : this.unit(statements) };
    } catch (error) {
      if (!this.db.inTransaction) throw error;
      return { error };
    }
  }

  private assertInTransaction(): void {
    if (!this.db.inTransaction) throw new Error('SQLite rolled back the transaction of this group commit');
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
