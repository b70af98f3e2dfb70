export * from './persistence.module';
export * from './data-source-options';
export * from './unique-violation';
export * from './insert-row';
export * from './raw-sql';
export { postgresPool, PostgresStatements } from './postgres-statements';
