import type { Database } from 'better-sqlite3';
import type { Pool } from 'pg';
import { DataSource, EntityTarget, Logger, ObjectLiteral } from 'typeorm';
import type { DatabaseKind } from './data-source-options';
import { PostgresStatements } from './postgres-statements';
import { entityRowMapper, RowMapper } from './row-mapper';
import { SqliteStatements } from './sqlite-statements';
import type { SqlStatement, Statement } from './sql-statement';

/**
 * Runs a DataSource's hand-written statements: for the few TypeORM's builders cannot express
 * portably (UPDATE … RETURNING on SQLite) or make slow (they inline numbers into SQLite SQL,
 * defeating the statement cache, and take a round trip each on PostgreSQL). On SQLite a cached
 * prepared statement runs directly and writes join the group commit (see SqliteStatements); on
 * PostgreSQL every statement shares the next round trip with the others of this turn of the event
 * loop (see PostgresStatements). Both bypass TypeORM's query runner but still go through its logger.
 * One per DataSource, made by `sqlExecutorFor`.
 */
export interface PoolUse {
  open: number;
  idle: number;
  waiting: number;
  max: number;
}

export abstract class SqlExecutor {
  protected constructor(
    private readonly dataSource: DataSource,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * The statement's rows. A read that must run `alone` (a sweep's statement over many rows) takes a
   * round trip of its own on PostgreSQL, so it neither holds up the sends beside it nor holds their locks.
   */
  abstract query<P extends object, R>(statement: SqlStatement<P, R>, params: NoInfer<P>, options?: { alone?: boolean }): Promise<R[]>;

  /**
   * A write of a hot path (a message, a session's activity): it commits together with the other
   * writes queued in the same turn of the event loop, and settles once that commit has happened.
   */
  abstract write<P extends object, R>(statement: SqlStatement<P, R>, params: NoInfer<P>): Promise<R[]>;

  /**
   * Writes that commit together or not at all, in the order given, each seeing the rows of those
   * before it; the rows of each. On SQLite they join the next group commit in a savepoint of their
   * own; on PostgreSQL they run in one transaction, after `serializeOn`'s advisory lock when one is
   * given: writers of the same key then commit one after the other, each statement seeing the
   * previous writer's rows.
   */
  abstract writeTogether(statements: Statement[], options?: { serializeOn?: string }): Promise<unknown[][]>;

  /** The statement with its values, for this database: to hand to `writeTogether`, maybe by another repository. */
  abstract bind<P extends object>(statement: SqlStatement<P, unknown>, params: NoInfer<P>): Statement;

  /** How the connection pool is used, for metrics; null on SQLite, which has one connection. */
  abstract poolUse(): PoolUse | null;

  /** Turns a `SELECT *` (or `RETURNING *`) row of the entity's table into the entity, as TypeORM reads it. */
  rowMapper<T extends ObjectLiteral>(entity: EntityTarget<T>): RowMapper<T> {
    return entityRowMapper<T>(this.dataSource.getMetadata(entity), this.kind);
  }
}

class SqliteExecutor extends SqlExecutor {
  constructor(
    dataSource: DataSource,
    private readonly statements: SqliteStatements,
    private readonly logger: Logger,
  ) {
    super(dataSource, 'sqlite');
  }

  async query<P extends object, R>(statement: SqlStatement<P, R>, params: P): Promise<R[]> {
    const { sql, params: values } = this.bind(statement, params);
    this.logger.logQuery(sql, values);
    return this.statements.run<R>(sql, values);
  }

  async write<P extends object, R>(statement: SqlStatement<P, R>, params: P): Promise<R[]> {
    const { sql, params: values } = this.bind(statement, params);
    this.logger.logQuery(sql, values);
    return this.statements.write<R>(sql, values);
  }

  async writeTogether(statements: Statement[]): Promise<unknown[][]> {
    for (const { sql, params } of statements) this.logger.logQuery(sql, params);
    return this.statements.writeAll(statements);
  }

  /** better-sqlite3 binds no booleans: they go in as SQLite stores them, 1 and 0. */
  bind<P extends object>(statement: SqlStatement<P, unknown>, params: P): Statement {
    const values = statement.values(params);
    for (let index = 0; index < values.length; index++) if (typeof values[index] === 'boolean') values[index] = values[index] ? 1 : 0;
    return { sql: statement.text.sqlite, params: values };
  }

  poolUse(): null {
    return null;
  }
}

class PostgresExecutor extends SqlExecutor {
  constructor(
    dataSource: DataSource,
    private readonly pool: Pool,
    private readonly statements: PostgresStatements,
  ) {
    super(dataSource, 'postgres');
  }

  poolUse(): PoolUse {
    const pool = this.pool;
    return { open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }

  async query<P extends object, R>(statement: SqlStatement<P, R>, params: P, options: { alone?: boolean } = {}): Promise<R[]> {
    const values = statement.values(params);
    if (options.alone) return (await this.statements.runAlone(statement.text.postgres, values)) as R[];
    return (await this.statements.run([{ sql: statement.text.postgres, params: values }]))[0] as R[];
  }

  async write<P extends object, R>(statement: SqlStatement<P, R>, params: P): Promise<R[]> {
    return (await this.statements.run([this.bind(statement, params)]))[0] as R[];
  }

  writeTogether(statements: Statement[], options: { serializeOn?: string } = {}): Promise<unknown[][]> {
    return this.statements.run(statements, options.serializeOn);
  }

  bind<P extends object>(statement: SqlStatement<P, unknown>, params: P): Statement {
    return { sql: statement.text.postgres, params: statement.values(params) };
  }
}

/** The executor of an initialized DataSource: the one place that reaches for the driver's own connection. */
export function sqlExecutorFor(dataSource: DataSource): SqlExecutor {
  if (dataSource.options.type === 'postgres') {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    return new PostgresExecutor(dataSource, pool, new PostgresStatements(pool, dataSource.logger));
  }
  const connection = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  return new SqliteExecutor(dataSource, new SqliteStatements(connection), dataSource.logger);
}
