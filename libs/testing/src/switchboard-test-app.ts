import { randomBytes } from 'node:crypto';
import type { Provider, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { EchoProvider } from '@switchboard/agents';
import { ConfigService } from '@nestjs/config';
import { AppConfig, Clock, validateEnvironment } from '@switchboard/common';
import { SessionExpiryCron, SweepReport } from '@switchboard/sessions';
// The kit builds the deployable app itself, exactly as main.ts composes and configures it.
import { AppModule } from '../../../apps/api/src/app.module';
import { APP_OPTIONS, configureApp, createHttpAdapter } from '../../../apps/api/src/bootstrap';
import { FakeClock } from './fake-clock';
import { ScriptedAgentProvider } from './scripted-agent.provider';
import { postgresSchema, sqliteInMemory, TestDatabase } from './test-database';

/** The admin token every kit app accepts unless told otherwise; suites mint narrower keys with it. */
export const DEFAULT_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface SwitchboardTestAppOptions {
  /** Extra environment, read and validated as at a real start (e.g. `{ AGENT_REPLY_TIMEOUT_MS: '500' }`). */
  env?: Record<string, string | undefined>;
  /** The store; default a fresh in-memory SQLite database. Pass another app's `database` to share it or restart on it. */
  database?: TestDatabase;
  /** A PostgreSQL server (`postgres://user@host:5432/db`): the app gets a fresh schema on it, dropped at `close()`. */
  postgresUrl?: string;
  /** A Redis (`redis://127.0.0.1:6379`): Socket.IO rooms and rate limits go through it, under a fresh key prefix unless one is given. */
  redis?: string | { url: string; keyPrefix?: string };
  /** Default a FakeClock at 2026-01-01T09:00Z. Share one between instances of a cluster. */
  clock?: FakeClock;
  /** The env admin token (SWITCHBOARD_ADMIN_TOKEN); default DEFAULT_ADMIN_TOKEN. */
  adminToken?: string;
  /** Default a ScriptedAgentProvider that echoes until scripted. Share one between instances of a cluster. */
  agents?: ScriptedAgentProvider;
  /** Controllers and providers added beside AppModule's own. */
  controllers?: Type[];
  providers?: Provider[];
  /** The suite's own overrides, on the testing module builder: `(builder) => builder.overrideProvider(X).useValue(y)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Runs on the app before the bootstrap setup and `listen`, e.g. to add a Fastify hook. */
  beforeListen?: (app: NestFastifyApplication) => void;
}

export interface SwitchboardTestApp {
  app: NestFastifyApplication;
  moduleRef: TestingModule;
  /** `http://127.0.0.1:<port>`: for fetch, supertest, socket.io-client; `/ws` is at the same port. */
  baseUrl: string;
  /** The env admin token; empty when the suite turned it off (`env: { SWITCHBOARD_ADMIN_TOKEN: '' }`). */
  adminToken: string;
  clock: FakeClock;
  agents: ScriptedAgentProvider;
  database: TestDatabase;
  /** The Redis key prefix the app uses, when given a Redis: pass it to a second instance of the cluster. */
  redisKeyPrefix: string | undefined;
  /** Runs the expiry sweep once, now (the timer is off unless SESSION_SWEEP_INTERVAL_SECONDS is set). */
  sweep(): Promise<SweepReport>;
  /** Moves the clock, then runs the sweep: the warnings and expiries that fall due are sent (a socket still has to receive them) and the purges done when it resolves. */
  advance(by: { minutes?: number; seconds?: number; ms?: number }): Promise<SweepReport>;
  /** Closes the app; drops the database unless `keepDatabase` (to restart on it, or when another instance still uses it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** In-memory databases an app has opened: each lives and dies with its one app. */
const openedInMemory = new WeakSet<TestDatabase>();

/** The real AppModule, set up as main.ts does, on a fresh store, listening on a free loopback port. */
export async function createSwitchboardTestApp(options: SwitchboardTestAppOptions = {}): Promise<SwitchboardTestApp> {
  if (options.database && openedInMemory.has(options.database)) {
    throw new Error('An in-memory SQLite database belongs to the one app that opened it: give both apps sqliteFile() or a postgresUrl to share a store or restart on it');
  }
  const database = options.database ?? (options.postgresUrl ? await postgresSchema(options.postgresUrl) : sqliteInMemory());
  if (database.url === 'sqlite::memory:') openedInMemory.add(database);
  const clock = options.clock ?? new FakeClock();
  const agents = options.agents ?? new ScriptedAgentProvider();
  const adminToken = options.adminToken ?? DEFAULT_ADMIN_TOKEN;
  const redis = typeof options.redis === 'string' ? { url: options.redis } : options.redis;
  const redisKeyPrefix = redis ? (redis.keyPrefix ?? `sb-test-${process.pid}-${randomBytes(4).toString('hex')}`) : undefined;
  try {
    // The suite's environment, validated as ConfigModule validates process.env at a real start.
    const environment = validateEnvironment({
      LOG_LEVEL: 'error',
      SWITCHBOARD_ADMIN_TOKEN: adminToken,
      // The suite runs the sweep, after moving the clock.
      SESSION_SWEEP_INTERVAL_SECONDS: '0',
      // A suite sends far more than a user or a session may in real life; a suite that tests the limits sets them.
      RATE_LIMIT_SESSION_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_HOUR: '0',
      RATE_LIMIT_AGENT_PER_HOUR: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
      ...options.env,
      DATABASE_URL: database.url,
    });
    const builder = Test.createTestingModule({ imports: [AppModule], controllers: options.controllers ?? [], providers: options.providers ?? [] })
      .overrideProvider(ConfigService)
      .useValue(new ConfigService(environment))
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(EchoProvider)
      .useValue(agents);
    const moduleRef = await (options.override?.(builder) ?? builder).compile();
    const config = moduleRef.get(AppConfig);
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), { ...APP_OPTIONS, logger: config.enabledLogLevels });
    options.beforeListen?.(app);
    configureApp(app);
    await app.listen(0, '127.0.0.1').catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
    const sweep = () => app.get(SessionExpiryCron).sweep();
    return {
      app,
      moduleRef,
      baseUrl: await app.getUrl(),
      adminToken: config.adminToken ?? '',
      clock,
      agents,
      database,
      redisKeyPrefix,
      sweep,
      advance: ({ minutes = 0, seconds = 0, ms = 0 }) => {
        clock.advanceMs(minutes * 60_000 + seconds * 1_000 + ms);
        return sweep();
      },
      close: async ({ keepDatabase = false } = {}) => {
        await app.close();
        if (!keepDatabase) await database.drop();
      },
    };
  } catch (error) {
    if (!options.database) await database.drop();
    throw error;
  }
}
