import type { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppConfig, Clock } from '@switchboard/common';
import { AppModule } from '../../apps/api/src/app.module';
import { APP_OPTIONS, configureApp, createHttpAdapter } from '../../apps/api/src/bootstrap';
import type { AppRoute } from '../utils-auth/routes';
import { FakeClock } from './fake-clock';
import { createTestDatabase, TestDatabase } from './test-database';

/** Every rate limit at 0, which turns it off: the default of suites' apps. */
export const RATE_LIMITS_OFF = { RATE_LIMIT_SESSION_PER_MINUTE: '0', RATE_LIMIT_USER_PER_HOUR: '0', RATE_LIMIT_AGENT_PER_HOUR: '0' };

/** The env admin token every suite's app accepts; suites mint narrower keys with it. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  /** Every route the server answers, whoever registered it (Nest controllers, Swagger UI, plugins), HEAD twins of GET routes aside. */
  routes: AppRoute[];
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
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { ...APP_OPTIONS, logger: config.enabledLogLevels });
  const routes: AppRoute[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const methods = [route.method].flat().filter((method) => method !== 'HEAD');
      routes.push(...methods.map((method) => ({ method, path: route.url })));
    });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    routes,
    clock,
    database,
    close: async ({ keepDatabase = false } = {}) => {
      await app.close();
      if (!keepDatabase) await database.drop();
    },
  };
}
