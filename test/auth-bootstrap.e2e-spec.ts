import { admin, bearer, createApiKey, createSession, http } from './utils/fixtures';
import { FakeClock } from './utils/fake-clock';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { captureOutput, expectAuthError, unknownKeyToken } from './utils-auth/auth-helpers';

/** Verbose logging, so that a token reaching any logger would show in the captured output. */
const WITHOUT_ADMIN_TOKEN = { SWITCHBOARD_ADMIN_TOKEN: '', LOG_LEVEL: 'verbose' };
const KEY_TOKEN = /sb_key_[A-Za-z0-9_-]+/g;

const printedKeys = (output: string) => output.match(KEY_TOKEN) ?? [];
const listKeys = async (t: TestApp, token: string) => (await http(t).get('/api/auth/keys').set(bearer(token)).expect(200)).body.keys;

describe('first start without SWITCHBOARD_ADMIN_TOKEN (empty counts as unset)', () => {
  let t: TestApp;
  let firstOutput: string;
  let printedToken: string;

  beforeAll(async () => {
    const start = await captureOutput(() => createTestApp({ env: WITHOUT_ADMIN_TOKEN }));
    t = start.result;
    firstOutput = start.output;
    printedToken = printedKeys(firstOutput)[0] ?? '';
  });

  afterAll(async () => {
    await t?.close();
  });

  it('prints exactly one new API key, once, and not through the logs', () => {
    expect(firstOutput).toContain('Mapped {/livez, GET} route');
    expect(printedKeys(firstOutput)).toEqual([printedToken]);
    expect(printedToken).toMatch(/^sb_key_[A-Za-z0-9_-]{32,}$/);
  });

  it('makes the printed key an admin key, the only key there is', async () => {
    const keys = await listKeys(t, printedToken);

    expect(keys).toEqual([expect.objectContaining({ scopes: ['admin'], revokedAt: null, expiresAt: null })]);
    expect(printedToken.startsWith(keys[0].tokenPrefix)).toBe(true);
  });

  it('lets the printed key do what admin may: create keys', async () => {
    await http(t).post('/api/auth/keys').set(bearer(printedToken)).send({ name: 'from-bootstrap', scopes: ['agents:read'] }).expect(201);
  });

  it('does not accept the token the other suites configure', async () => {
    expectAuthError(await http(t).get('/api/auth/keys').set(admin), 401);
  });

  describe('restarted on the same database', () => {
    let restartOutput: string;

    beforeAll(async () => {
      await t.close({ keepDatabase: true });
      const restart = await captureOutput(() => createTestApp({ database: t.database, env: WITHOUT_ADMIN_TOKEN }));
      t = restart.result;
      restartOutput = restart.output;
    });

    it('prints no key', () => {
      expect(printedKeys(restartOutput)).toEqual([]);
      expect(restartOutput).not.toContain(printedToken);
    });

    it('creates no key, and the printed key still works', async () => {
      const keys = await listKeys(t, printedToken);

      expect(keys.filter((key: { name: string }) => key.name !== 'from-bootstrap')).toHaveLength(1);
    });
  });
});

describe('start with SWITCHBOARD_ADMIN_TOKEN set', () => {
  let t: TestApp;
  let output: string;

  beforeAll(async () => {
    const start = await captureOutput(() => createTestApp({ env: { LOG_LEVEL: 'verbose' } }));
    t = start.result;
    output = start.output;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('creates no key and prints none', async () => {
    expect(printedKeys(output)).toEqual([]);
    expect(await listKeys(t, ADMIN_TOKEN)).toEqual([]);
  });

  it('does not print the configured token', () => {
    expect(output).not.toContain(ADMIN_TOKEN);
  });

  it('lets the configured token do what admin may', async () => {
    await http(t).post('/api/auth/keys').set(admin).send({ name: 'by-env-token', scopes: ['agents:read'] }).expect(201);
  });
});

describe('first start without SWITCHBOARD_ADMIN_TOKEN on a database that had it set', () => {
  let t: TestApp | undefined;

  /** Starts with the token set, runs `before` on that app, then restarts on the same database without it. */
  async function restartWithoutToken(before: (app: TestApp) => Promise<void> = async () => {}, restartClock?: FakeClock): Promise<string> {
    const first = await createTestApp();
    t = first;
    await before(first);
    await first.close({ keepDatabase: true });
    const restart = await captureOutput(() => createTestApp({ database: first.database, env: WITHOUT_ADMIN_TOKEN, clock: restartClock }));
    t = restart.result;
    return restart.output;
  }

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('creates and prints an admin key then, as the database holds none', async () => {
    const output = await restartWithoutToken();

    const printed = printedKeys(output);
    expect(printed).toHaveLength(1);
    expect(await listKeys(t!, printed[0] ?? '')).toEqual([expect.objectContaining({ scopes: ['admin'] })]);
  });

  describe('when the keys it holds have expiry dates', () => {
    /** Ten minutes after the first start. */
    const later = () => {
      const clock = new FakeClock();
      clock.advanceMinutes(10);
      return clock;
    };
    const keyExpiringIn = (minutes: number) => async (app: TestApp) => {
      const expiresAt = new Date(app.clock.now() + minutes * 60_000).toISOString();
      await http(app).post('/api/auth/keys').set(admin).send({ name: `expires-in-${minutes}`, scopes: ['admin'], expiresAt }).expect(201);
    };

    it('creates and prints an admin key once every key there is has expired', async () => {
      const output = await restartWithoutToken(keyExpiringIn(5), later());

      const printed = printedKeys(output);
      expect(printed).toHaveLength(1);
      await http(t!).get('/api/auth/keys').set(bearer(printed[0] ?? '')).expect(200);
    });

    it('creates none while a key is still valid', async () => {
      const output = await restartWithoutToken(keyExpiringIn(60), later());

      expect(printedKeys(output)).toEqual([]);
    });
  });

  it('creates none when a key exists, even one made while the token was set', async () => {
    let token = '';

    const output = await restartWithoutToken(async (app) => {
      token = (await createApiKey(app, ['agents:read'])).token;
    });

    expect(printedKeys(output)).toEqual([]);
    await http(t!).get('/api/agents').set(bearer(token)).expect(200);
  });
});

describe('tokens in the logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = (await captureOutput(() => createTestApp({ env: { LOG_LEVEL: 'verbose' } }))).result;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('never writes a token the requests carry or receive, whether auth fails or succeeds', async () => {
    const unknown = unknownKeyToken();
    const tokens: string[] = [ADMIN_TOKEN, unknown];

    const { output } = await captureOutput(async () => {
      const reader = await createApiKey(t, ['agents:read', 'sessions:create', 'sessions:read']);
      const revoked = await createApiKey(t, ['agents:read']);
      tokens.push(reader.token, revoked.token);
      await http(t).delete(`/api/auth/keys/${revoked.id}`).set(admin).expect(200);
      const session = await createSession(t, {}, bearer(reader.token));
      tokens.push(session.token);

      await http(t).get('/api/agents').set(bearer(unknown)).expect(401);
      await http(t).get('/api/agents').set({ 'X-API-KEY': unknown }).expect(401);
      await http(t).get('/api/agents').set(bearer(revoked.token)).expect(401);
      await http(t).get('/api/auth/keys').set(bearer(reader.token)).expect(403);
      await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)).expect(200);
      await http(t).patch(`/api/messaging/sessions/${session.sessionId}/timeout`).set(bearer(session.token)).send({ timeoutMinutes: 60 }).expect(403);
      await http(t).get('/api/agents').set(bearer(reader.token)).expect(200);
      await http(t).get('/api/agents').set(admin).expect(200);
    });

    expect(tokens.filter((token) => output.includes(token))).toEqual([]);
  });
});
