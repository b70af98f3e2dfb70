import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1732233600000 } from './migrations/1732233600000-initial-schema';
import { AuthSchema1732233700000 } from './migrations/1732233700000-auth-schema';
import { Commands1732233800000 } from './migrations/1732233800000-commands';
import { SweepIndexes1732233900000 } from './migrations/1732233900000-sweep-indexes';
import { PartialClientIdIndex1732234000000 } from './migrations/1732234000000-partial-client-id-index';
import { AgentTurns1732235000000 } from './migrations/1732235000000-agent-turns';
import { Ownership1732235100000 } from './migrations/1732235100000-ownership';
import { ServerIdentity1732235200000 } from './migrations/1732235200000-server-identity';
import { CommandPriority1732235200001 } from './migrations/1732235200001-command-priority';
import { AgentHandoffs1732235300000 } from './migrations/1732235300000-agent-handoffs';

export const MIGRATIONS = [
  InitialSchema1732233600000,
  AuthSchema1732233700000,
  Commands1732233800000,
  SweepIndexes1732233900000,
  PartialClientIdIndex1732234000000,
  AgentTurns1732235000000,
  Ownership1732235100000,
  ServerIdentity1732235200000,
  CommandPriority1732235200001,
  AgentHandoffs1732235300000,
];

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(databaseUrl: string): DatabaseKind {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/**
 * TypeORM options for a DATABASE_URL: `sqlite:<path>` (or `sqlite::memory:`) for the embedded
 * default, `postgres://…[?schema=name]` for PostgreSQL. The schema comes from migrations only.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = { migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (databaseKind(databaseUrl) === 'sqlite') {
    const path = databaseUrl.slice('sqlite:'.length);
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: path,
      enableWAL: !inMemory,
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return {
    ...common,
    type: 'postgres',
    url: url.toString(),
    schema,
    // Hand-written SQL (sql-executor.ts) names tables without a schema: resolve them in the configured one.
    extra: { max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) },
  };
}
