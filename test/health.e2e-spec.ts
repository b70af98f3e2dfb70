import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DrainState } from '@switchboard/common';
import { postgresSchema } from '@switchboard/testing';
import { admin, createSession, http } from './utils/fixtures';
import { startPrivateRedis, PrivateRedis } from './utils/private-redis';
import { createTestApp, TestApp } from './utils/test-app';
import { onPostgres, PG_URL } from './utils/test-database';
import { expectOk, SocketPool } from './utils-realtime/sockets';
import { sessionMessagesPath } from './utils-realtime/rest';

/** Asks /readyz until it answers `status`; a probe's state follows an outage only as fast as the clients notice it. */
async function readinessTurns(t: TestApp, status: number, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const response = await http(t).get('/readyz');
    if (response.status === status) return response;
    if (Date.now() > deadline) throw new Error(`/readyz still answers ${response.status} (${JSON.stringify(response.body)}) after ${ms} ms, not ${status}`);
    await sleep(50);
  }
}

describe('health when the database does not answer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 200 while the database answers, then 503 ServiceUnavailableError naming the database once it is gone', async () => {
    await http(t).get('/api/messaging/sessions/health').set(admin).expect(200);
    const up = await http(t).get('/readyz').expect(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } }, error: {} });
    // No REDIS_URL: nothing to check there.
    expect(up.body.details).not.toHaveProperty('redis');
    expect(up.headers['cache-control']).toContain('no-store');

    await t.app.get(DataSource).destroy();

    const health = await http(t).get('/api/messaging/sessions/health').set(admin).expect(503);
    expect(health.body).toMatchObject({ error: 'ServiceUnavailableError', code: 'SERVICE_UNAVAILABLE', details: { status: 'unhealthy' } });
    const ready = await http(t).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({
      error: 'ServiceUnavailableError',
      code: 'SERVICE_UNAVAILABLE',
      message: 'Not ready: database does not answer',
      details: { status: 'error', error: { database: { status: 'down', message: expect.any(String) } } },
    });
    await http(t).get('/livez').expect(200);
  });
});

describe.skipIf(!onPostgres)('readiness when the PostgreSQL server no longer has the database', () => {
  const name = `sb_ready_${process.pid}_${randomBytes(4).toString('hex')}`;
  const serverUrl = new URL(PG_URL);
  serverUrl.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  let t: TestApp;

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    t = await createTestApp({ database: await postgresSchema(serverUrl.toString()) });
  });

  afterAll(async () => {
    await t?.close({ keepDatabase: true });
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('answers 503 naming the database once its connections are cut and it cannot connect again', async () => {
    await http(t).get('/readyz').expect(200);

    // Ends every connection of the app's pool, and a new one finds no database.
    await admin(`DROP DATABASE "${name}" WITH (FORCE)`);

    const ready = await http(t).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ message: 'Not ready: database does not answer', details: { error: { database: { status: 'down' } } } });
    await http(t).get('/livez').expect(200);
  });
});

describe('readiness and Redis (REDIS_URL), through an outage', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  const sockets = SocketPool.for(() => t);
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', recordUnhandled);
    redis = await startPrivateRedis();
    t = await createTestApp({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `sb-ready-${process.pid}-${randomBytes(4).toString('hex')}` } });
  });

  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
    await redis?.kill();
    process.off('unhandledRejection', recordUnhandled);
  });

  it('answers 503 naming redis while Redis is down, keeps serving sends meanwhile without an unhandled rejection, and 200 once Redis is back', async () => {
    // Ready once its Redis connection is: it was made at boot.
    const up = await readinessTurns(t, 200);
    expect(up.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    const session = await createSession(t);
    const client = await sockets.connect({ token: session.token });
    await expectOk(client.socket, 'join', { roomId: session.sessionId });
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    try {
      await redis.kill();

      const down = await readinessTurns(t, 503);
      expect(down.body).toMatchObject({
        error: 'ServiceUnavailableError',
        message: 'Not ready: redis does not answer',
        details: { status: 'error', info: { database: { status: 'up' } }, error: { redis: { status: 'down' } } },
      });
      // The send publishes its broadcast and its turn's end to the other instances: both are lost, and the send is not.
      const sent = await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'while Redis is down' }).expect(201);
      const broadcast = await client.log.next('messageBroadcast', (message) => message.id === sent.body.id);
      expect(broadcast.text).toBe('while Redis is down');
      await vi.waitFor(() => expect(warn.mock.calls.some(([message]) => String(message).startsWith('Redis publish'))).toBe(true), { timeout: 10_000, interval: 20 });
      // The outage is logged once per connection, not once per reconnection attempt or command.
      const outageLines = error.mock.calls.filter(([message]) => String(message).includes('does not reach Redis'));
      expect(outageLines.length).toBeGreaterThan(0);
      expect(new Set(outageLines.map(([message]) => String(message).split(' ')[1])).size).toBe(outageLines.length);

      await redis.start();

      const back = await readinessTurns(t, 200);
      expect(back.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
      expect(unhandled).toEqual([]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

describe('readiness during a drain', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 503 on /readyz once the drain begins, while accepted requests still get their normal answer, with Connection: close', async () => {
    // fetch keeps connections alive, as load balancers and browsers do.
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${await t.app.getUrl()}${path}`, { headers });
      return { status: response.status, connection: response.headers.get('connection'), body: (await response.json()) as Record<string, unknown> };
    };
    expect(await get('/readyz')).toMatchObject({ status: 200, connection: 'keep-alive' });

    t.app.get(DrainState).begin();

    const ready = await get('/readyz');
    expect(ready).toMatchObject({ status: 503, connection: 'close', body: { error: 'ServiceUnavailableError', message: 'This instance is shutting down' } });
    expect(await get('/api/agents', admin)).toMatchObject({ status: 200, connection: 'close' });
    await http(t).get('/livez').expect(200);
  });
});
