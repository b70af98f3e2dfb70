import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { ofType, WsPool, WsTestClient } from './utils-ws/ws-client';

const FRAMES_PER_WINDOW = 120;

/** Sends one frame past the window's limit; the pongs and the refusal. */
async function flood(client: WsTestClient, from = 1) {
  for (let i = from; i <= from + FRAMES_PER_WINDOW; i++) client.send({ id: i, type: 'ping' });
  const refusal = await client.next(ofType('error'));
  return { refusal, pongs: client.all(ofType('pong')).map((f) => f.id) };
}

/** /ws frames count against the limiter REST and Socket.IO use: per connection, in Redis when REDIS_URL is set. */
describe.each([
  ['in memory', false],
  ['in Redis', true],
])('/ws frame limit, counted %s', (_, withRedis) => {
  const prefix = `sb-ws-rate-${process.pid}-${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  const ws = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp({ env: withRedis ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix } : {} });
  });

  afterEach(async () => {
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  it(`refuses frame ${FRAMES_PER_WINDOW + 1} of a window with RATE_LIMIT_EXCEEDED, saying when to retry; the next window admits again`, async () => {
    const client = await ws.connect({ token: ADMIN_TOKEN });

    const { refusal, pongs } = await flood(client);

    expect(pongs).toEqual(Array.from({ length: FRAMES_PER_WINDOW }, (_, i) => i + 1));
    expect(refusal).toMatchObject({
      id: FRAMES_PER_WINDOW + 1,
      type: 'error',
      data: { code: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), details: expect.stringContaining('RateLimitError'), context: { error: 'RateLimitError', scope: 'connection', limit: FRAMES_PER_WINDOW, retryAfterSeconds: expect.any(Number) } },
    });
    t.clock.advanceMs(10_000);
    expect(await client.call({ id: 'later', type: 'ping' })).toMatchObject({ id: 'later', type: 'pong' });
  });

  it('counts each connection on its own', async () => {
    const busy = await ws.connect({ token: ADMIN_TOKEN });
    const quiet = await ws.connect({ token: ADMIN_TOKEN });

    await flood(busy, 1_000);

    expect(await quiet.call({ id: 'q', type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it.runIf(withRedis)('keeps the count in Redis, where every instance reads it', async () => {
    const client = await ws.connect({ token: ADMIN_TOKEN });
    await client.call({ id: 'one', type: 'ping' });
    const clientId = client.frames[0].data.clientId as string;
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${prefix}:rate:connection:${clientId}:*`);

      expect(keys).toHaveLength(1);
      expect(await redis.get(keys[0])).toBe('1');
    } finally {
      await redis.quit();
    }
  });
});
