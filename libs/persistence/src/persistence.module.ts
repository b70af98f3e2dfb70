import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@switchboard/common';
import { ReadCaches } from './cache/read-caches';
import { dataSourceOptions } from './data-source-options';

/** The one TypeORM connection, chosen by DATABASE_URL (migrations run at start), and the caches of what repositories read from it. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true }),
    }),
  ],
  providers: [ReadCaches],
  exports: [ReadCaches],
})
export class PersistenceModule {}
