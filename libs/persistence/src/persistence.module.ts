import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@switchboard/common';
import { ReadCaches } from './cache/read-caches';
import { dataSourceOptions } from './data-source-options';
import { SqlExecutor, sqlExecutorFor } from './sql-executor';

/** The one TypeORM connection, chosen by DATABASE_URL (migrations run at start), and the executor of its hand-written statements, and the caches of what repositories read. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true }),
    }),
  ],
  providers: [{ provide: SqlExecutor, inject: [DataSource], useFactory: sqlExecutorFor }, ReadCaches],
  exports: [SqlExecutor, ReadCaches],
})
export class PersistenceModule {}
