import { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppConfig, Clock } from '@switchboard/common';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { FakeClock } from '../utils/fake-clock';
import { ADMIN_TOKEN } from '../utils/test-app';
import { createTestDatabase, TestDatabase } from '../utils/test-database';

/**
 * The real AppModule plus extra controllers, set up like createTestApp: for proving how the
 * global guard treats a route the app itself does not have (e.g. one that forgot its scope).
 */
export async function createAppWithControllers(controllers: Type[]): Promise<{ app: NestExpressApplication; close(): Promise<void> }> {
  const database: TestDatabase = await createTestDatabase();
  const config = AppConfig.fromEnv({ LOG_LEVEL: 'error', SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: database.url });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule], controllers })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(new FakeClock())
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: config.enabledLogLevels });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
