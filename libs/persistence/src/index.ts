export * from './persistence.module';
export * from './data-source-options';
export * from './unique-violation';
export * from './insert-row';
export * from './sql-statement';
export * from './sql-executor';
export type { RowMapper } from './row-mapper';
export { PostgresStatements } from './postgres-statements';
