import type { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppConfig, Clock } from '@switchboard/common';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { FakeClock } from './fake-clock';
import { createTestDatabase, TestDatabase } from './test-database';

/** Every rate limit at 0, which turns it off: the default of suites' apps. */
export const RATE_LIMITS_OFF = { RATE_LIMIT_SESSION_PER_MINUTE: '0', RATE_LIMIT_USER_PER_HOUR: '0', RATE_LIMIT_AGENT_PER_HOUR: '0' };

/** The env admin token every suite's app accepts; suites mint narrower keys with it. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: NestExpressApplication;
  clock: FakeClock;
  database: TestDatabase;
  /** Closes the app; drops the database unless `keepDatabase` (to restart on it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: NodeJS.ProcessEnv;
  clock?: FakeClock;
  /** Reuse a database, e.g. to restart the app on it. */
  database?: TestDatabase;
  /** Extra controllers beside the app's own, e.g. one that forgot its scope declaration. */
  controllers?: Type[];
}

/** The real AppModule, set up as main.ts does, listening on a free port, on a fresh database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const clock = options.clock ?? new FakeClock();
  const config = AppConfig.fromEnv({
    LOG_LEVEL: 'error',
    SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
    // Suites run the sweep by hand after moving the clock.
    SESSION_SWEEP_INTERVAL_SECONDS: '0',
    // Suites send far more than 60 requests a minute into one session; rate-limits.e2e-spec turns the limits on.
    ...RATE_LIMITS_OFF,
    ...options.env,
    DATABASE_URL: database.url,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule], controllers: options.controllers ?? [] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: config.enabledLogLevels });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    clock,
    database,
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      if (!keepDatabase) await database.drop();
    },
  };
}
