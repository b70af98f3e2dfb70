import type { Type } from '@nestjs/common';
import { createSwitchboardTestApp, FakeClock, SwitchboardTestApp, SwitchboardTestAppOptions } from '@switchboard/testing';
import type { AppRoute } from '../utils-auth/routes';
import { createTestDatabase, TestDatabase } from './test-database';

/** Every rate limit at 0, which turns it off: the default of suites' apps. */
export const RATE_LIMITS_OFF = { RATE_LIMIT_SESSION_PER_MINUTE: '0', RATE_LIMIT_USER_PER_HOUR: '0', RATE_LIMIT_AGENT_PER_HOUR: '0', AUTH_FAILURES_PER_MINUTE: '0' };

/** The env admin token every suite's app accepts; suites mint narrower keys with it. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestApp extends SwitchboardTestApp {
  /** Every route the server answers, whoever registered it (Nest controllers, Swagger UI, plugins), HEAD twins of GET routes aside. */
  routes: AppRoute[];
}

export interface TestAppOptions {
  env?: NodeJS.ProcessEnv;
  clock?: FakeClock;
  /** Reuse a database, e.g. to restart the app on it. */
  database?: TestDatabase;
  /** Extra controllers beside the app's own, e.g. one that forgot its scope declaration. */
  controllers?: Type[];
  /** The suite's provider overrides, e.g. a LogCapture's. */
  override?: SwitchboardTestAppOptions['override'];
}

/** The kit's app (`@switchboard/testing`) on the suite's database (TEST_DATABASE), recording its routes. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const routes: AppRoute[] = [];
  const t = await createSwitchboardTestApp({
    ...options,
    database: options.database ?? (await createTestDatabase()),
    adminToken: ADMIN_TOKEN,
    beforeListen: (app) =>
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRoute', (route) => {
          const methods = [route.method].flat().filter((method) => method !== 'HEAD');
          routes.push(...methods.map((method) => ({ method, path: route.url })));
        }),
  });
  return { ...t, routes };
}
