export * from './persistence.module';
export * from './data-source-options';
export * from './unique-violation';
export * from './insert-row';
export * from './raw-sql';
export { PostgresStatements } from './postgres-statements';
export * from './cache/lookup-cache';
export * from './cache/read-caches';
