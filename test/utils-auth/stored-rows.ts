import { DataSource } from 'typeorm';
import { TestApp } from '../utils/test-app';

/** The raw rows of one table, read through the app's own DataSource (so on its SQLite file or PostgreSQL schema). */
export async function storedRows(t: TestApp, tableName: string): Promise<Record<string, unknown>[]> {
  const dataSource = t.app.get(DataSource);
  const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === tableName);
  if (!metadata) throw new Error(`No entity maps the table ${tableName}`);
  return dataSource.createQueryBuilder().select('*').from(metadata.target, 'row').getRawMany();
}

/** Every table the app's entities map, by name. */
export function tableNames(t: TestApp): string[] {
  return t.app.get(DataSource).entityMetadatas.map((entity) => entity.tableName);
}
