import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReadCaches } from '@switchboard/persistence';
import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { startPrivateRedis, PrivateRedis } from './utils/private-redis';
import { FakeClock } from './utils/fake-clock';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';

/** How soon a write on one instance must be seen on the other, cache or not. */
const EVERYWHERE_WITHIN_MS = 100;

/**
 * Two instances on one PostgreSQL schema and one Redis of the suite's own (so it can go away): each
 * keeps API keys, agents and participants in memory, and a write on either is forgotten on both.
 */
describe.skipIf(!onPostgres)('read caches across two instances', () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let a: TestApp;
  let b: TestApp;
  const clock = new FakeClock();

  const keeping = (t: TestApp) => t.app.get(ReadCaches).keeping;
  /** A request any key with agents:read may make: whether the key is accepted. */
  const accepted = async (t: TestApp, token: string) => (await http(t).get('/api/agents').set(bearer(token))).status === 200;
  /** Revokes a key in the database itself, as no instance would: nothing tells the caches. */
  const revokeBehindTheirBack = (id: string) => a.app.get(DataSource).query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2', [clock.now(), id]);

  /**
   * Waits until B has heard every invalidation A published so far: they travel in order on one
   * channel, so once B refuses a key A revoked after them, B has forgotten what they named.
   */
  const heardOnB = async () => {
    const barrier = await createApiKey(a, ['agents:read']);
    expect(await accepted(b, barrier.token)).toBe(true);
    await http(a).delete(`/api/auth/keys/${barrier.id}`).set(admin).expect(200);
    await vi.waitFor(async () => expect(await accepted(b, barrier.token)).toBe(false), { timeout: EVERYWHERE_WITHIN_MS, interval: 5 });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startPrivateRedis();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `sb-caches-${process.pid}-${randomBytes(4).toString('hex')}` };
    a = await createTestApp({ database, env, clock });
    b = await createTestApp({ database, env, clock });
    await vi.waitFor(() => expect([keeping(a), keeping(b)]).toEqual([true, true]), { timeout: 5_000, interval: 5 });
  });

  afterAll(async () => {
    await Promise.all([a, b].map((t) => t?.close({ keepDatabase: true })));
    await database?.drop();
    await redis?.kill();
  });

  it('serves a key it has read from memory: a change behind the service’s back is not seen (the cache is on)', async () => {
    const key = await createApiKey(a, ['agents:read']);
    expect(await accepted(b, key.token)).toBe(true);

    await revokeBehindTheirBack(key.id);

    expect(await accepted(b, key.token)).toBe(true);
  });

  it(`refuses a key revoked on the other instance within ${EVERYWHERE_WITHIN_MS} ms`, async () => {
    const key = await createApiKey(a, ['agents:read']);
    expect(await accepted(b, key.token)).toBe(true);
    expect(await accepted(a, key.token)).toBe(true);

    await http(a).delete(`/api/auth/keys/${key.id}`).set(admin).expect(200);

    await vi.waitFor(async () => expect(await accepted(b, key.token)).toBe(false), { timeout: EVERYWHERE_WITHIN_MS, interval: 5 });
    expect(await accepted(a, key.token)).toBe(false);
  });

  it(`shows an agent changed or deleted on one instance on the other within ${EVERYWHERE_WITHIN_MS} ms`, async () => {
    const agent = await createAgent(a, { name: `cached-${randomBytes(3).toString('hex')}` });
    const onB = () => http(b).get(`/api/agents/${agent.id}`).set(admin);
    expect((await onB().expect(200)).body.name).toBe(agent.name);

    await http(a).patch(`/api/agents/${agent.id}`).set(admin).send({ name: `${agent.name}-renamed`, status: 'inactive' }).expect(200);

    await vi.waitFor(async () => expect((await onB()).body).toMatchObject({ name: `${agent.name}-renamed`, status: 'inactive' }), { timeout: EVERYWHERE_WITHIN_MS, interval: 5 });

    await http(a).delete(`/api/agents/${agent.id}`).set(admin).expect(200);
    await vi.waitFor(async () => expect((await onB()).status).toBe(404), { timeout: EVERYWHERE_WITHIN_MS, interval: 5 });
  });

  describe('a session B has sent in', () => {
    const send = (t: TestApp, sessionId: string, content: string) => http(t).post(`/api/messaging/sessions/${sessionId}/messages`).set(admin).send({ content });
    const stored = async (sessionId: string) =>
      (await a.app.get(DataSource).query('SELECT m.content FROM messages m JOIN sessions s ON s.channel_id = m.channel_id WHERE s.id = $1 AND m.is_agent = false', [sessionId])).map(
        (row: { content: string }) => row.content,
      );

    it('answers 410 and stores nothing once the session expired, whatever B last read of it', async () => {
      const agent = await createAgent(a);
      const { sessionId } = await createSession(a, { agentId: agent.id, userId: 'user-expiring' });
      await send(b, sessionId, 'while live').expect(201);

      await a.app.get(DataSource).query('UPDATE sessions SET expires_at = $1 WHERE id = $2', [clock.now() - 1, sessionId]);

      expect((await send(b, sessionId, 'after expiry').expect(410)).body.code).toBe('SESSION_EXPIRED');
      expect(await stored(sessionId)).toEqual(['while live']);
    });

    it('answers 404 once the session was ended on A', async () => {
      const agent = await createAgent(a);
      const { sessionId } = await createSession(a, { agentId: agent.id, userId: 'user-ending' });
      await send(b, sessionId, 'while live').expect(201);

      await http(a).delete(`/api/messaging/sessions/${sessionId}`).set(admin).expect(200);

      expect((await send(b, sessionId, 'after the end').expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    });

    it('renews with the timeout config changed on A', async () => {
      const agent = await createAgent(a);
      const timeoutConfig = { timeoutMinutes: 30, autoRenew: false, maxDurationMinutes: 600, warningThresholdMinutes: 5 };
      const { sessionId } = await createSession(a, { agentId: agent.id, userId: 'user-renewing', timeoutConfig });
      expect((await send(b, sessionId, 'no renewal').expect(201)).body.sessionStatus.renewalCount).toBe(0);

      await http(a).patch(`/api/messaging/sessions/${sessionId}/timeout`).set(admin).send({ autoRenew: true, timeoutMinutes: 60 }).expect(200);
      await heardOnB();
      clock.advanceMs(5_000);

      const renewed = (await send(b, sessionId, 'renews now').expect(201)).body.sessionStatus;
      expect(renewed.renewalCount).toBe(1);
    });
  });

  it('keeps nothing while Redis is away, so a revoke it cannot hear of still takes effect; keeps again once it is back', async () => {
    const key = await createApiKey(a, ['agents:read']);
    expect(await accepted(b, key.token)).toBe(true);

    await redis.kill();
    await vi.waitFor(() => expect(keeping(b)).toBe(false), { timeout: 5_000, interval: 5 });
    await revokeBehindTheirBack(key.id);

    expect(await accepted(b, key.token)).toBe(false);

    await redis.start();
    await vi.waitFor(() => expect(keeping(b)).toBe(true), { timeout: 10_000, interval: 5 });
    const later = await createApiKey(a, ['agents:read']);
    expect(await accepted(b, later.token)).toBe(true);
    await revokeBehindTheirBack(later.id);
    expect(await accepted(b, later.token)).toBe(true);
  });
});
