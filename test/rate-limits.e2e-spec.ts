import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { FakeClock } from './utils/fake-clock';
import { ADMIN_TOKEN, createTestApp, RATE_LIMITS_OFF, TestApp } from './utils/test-app';
import type { CreatedSession } from './utils/fixtures';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { channelHistory, channelMessagesPath, createChannel } from './utils-realtime/rest';
import { expectOk, SocketPool } from './utils-realtime/sockets';
import { WsFrame, WsPool } from './utils-ws/ws-client';

const SESSIONS = '/api/messaging/sessions';
const LIMITS = { RATE_LIMIT_SESSION_PER_MINUTE: '3', RATE_LIMIT_USER_PER_HOUR: '8', RATE_LIMIT_AGENT_PER_HOUR: '12' };
/** Outlives the hour the per-user and per-agent windows are tested over. */
const LONG_LIVED = { timeoutMinutes: 180, maxDurationMinutes: 240 };

interface ErrorBody {
  error: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The 429 of seed 004: the envelope, with Retry-After in the header and in details. */
function expectRateLimited(response: { status: number; body: ErrorBody; headers: Record<string, string> }, scope: string): ErrorBody {
  expect(response.status).toBe(429);
  expect(response.body).toMatchObject({ error: 'RateLimitError', code: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), details: { scope } });
  expect(response.headers['retry-after']).toBe(String(response.body.details.retryAfterSeconds));
  return response.body;
}

describe('rate limits (seed 004: per session per minute, per user and per agent per hour)', () => {
  let t: TestApp;
  const sockets = SocketPool.for(() => t);
  const ws = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp({ env: LIMITS });
  });

  afterEach(async () => {
    sockets.closeAll();
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  const user = () => `user-${randomUUID().slice(0, 8)}`;
  const getSession = (sessionId: string, auth = admin) => http(t).get(`${SESSIONS}/${sessionId}`).set(auth);
  const sendMessage = (sessionId: string, content: string) => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content });

  it('refuses the request after the session\'s limit with 429 and Retry-After, whatever the route', async () => {
    const session = await createSession(t, { userId: user() });

    await getSession(session.sessionId).expect(200);
    await sendMessage(session.sessionId, 'two').expect(201);
    await http(t).post(`${SESSIONS}/${session.sessionId}/heartbeat`).set(admin).expect(200);
    const refused = await sendMessage(session.sessionId, 'four');

    const body = expectRateLimited(refused, 'session');
    expect(body.details).toMatchObject({ limit: 3, windowSeconds: 60 });
    expect(body.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(body.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    const stored = (await http(t).get(`${SESSIONS}/${session.sessionId}/messages`).set(admin)).status;
    expect(stored).toBe(429);
  });

  it('stores nothing for a refused message', async () => {
    const session = await createSession(t, { userId: user() });
    for (const content of ['one', 'two', 'three']) await sendMessage(session.sessionId, content).expect(201);

    expectRateLimited(await sendMessage(session.sessionId, 'refused'), 'session');
    t.clock.advanceMinutes(1);
    const page = await http(t).get(`${SESSIONS}/${session.sessionId}/messages`).query({ limit: 100 }).set(admin).expect(200);

    expect(page.body.messages.filter((m: { isAgent: boolean }) => !m.isAgent).map((m: { content: string }) => m.content)).toEqual(['three', 'two', 'one']);
  });

  it('lets the session go on in the next minute, and counts each session apart', async () => {
    const userId = user();
    const [limited, other] = [await createSession(t, { userId }), await createSession(t, { userId: user() })];
    for (let i = 0; i < 3; i++) await getSession(limited.sessionId).expect(200);
    expectRateLimited(await getSession(limited.sessionId), 'session');

    await getSession(other.sessionId).expect(200);
    t.clock.advanceMinutes(1);
    await getSession(limited.sessionId).expect(200);
  });

  it('counts a user\'s requests over all their sessions, session creation included, per hour', async () => {
    const userId = user();
    const first = await createSession(t, { userId, timeoutConfig: LONG_LIVED });
    const second = await createSession(t, { userId, timeoutConfig: LONG_LIVED });
    for (let i = 0; i < 3; i++) {
      await getSession(first.sessionId).expect(200);
      await getSession(second.sessionId).expect(200);
      t.clock.advanceMinutes(1);
    }

    expectRateLimited(await getSession(first.sessionId), 'user');
    const creation = await http(t).post(SESSIONS).set(admin).send({ userId, agentId: first.agentId });
    expect(expectRateLimited(creation, 'user').details).toMatchObject({ limit: 8, windowSeconds: 3600 });
    t.clock.advanceMinutes(60);
    await getSession(first.sessionId).expect(200);
  });

  it('counts an agent\'s requests over all its sessions and users', async () => {
    const agent = await createAgent(t);
    const sessions = [];
    for (let i = 0; i < 6; i++) sessions.push(await createSession(t, { agentId: agent.id, userId: user() }));
    for (const session of sessions) await getSession(session.sessionId).expect(200);

    expect(expectRateLimited(await getSession(sessions[0].sessionId), 'agent').details).toMatchObject({ limit: 12, windowSeconds: 3600 });
    await getSession((await createSession(t, { userId: user() })).sessionId).expect(200);
  });

  it('does not count requests refused before they reach the session (another session\'s token)', async () => {
    const target = await createSession(t, { userId: user() });
    const intruder = await createSession(t, { userId: user() });

    for (let i = 0; i < 5; i++) await getSession(target.sessionId, bearer(intruder.token)).expect(403);

    await getSession(target.sessionId, bearer(target.token)).expect(200);
  });

  it('counts a refused request against nothing: one session\'s flood of heartbeats leaves its user\'s and agent\'s budgets as they were', async () => {
    const [userId, agent] = [user(), await createAgent(t)];
    const flooded = await createSession(t, { userId, agentId: agent.id, timeoutConfig: LONG_LIVED });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await http(t).post(`${SESSIONS}/${flooded.sessionId}/heartbeat`).set(bearer(flooded.token))).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);

    const sibling = await createSession(t, { userId, agentId: agent.id, timeoutConfig: LONG_LIVED });
    for (let i = 0; i < 3; i++) await getSession(sibling.sessionId, bearer(sibling.token)).expect(200);
  });

  it('keeps each key\'s users apart: another key spending "alice" leaves this key\'s "alice" untouched', async () => {
    const [spender, victim] = [await createApiKey(t, ['sessions:create', 'sessions:read']), await createApiKey(t, ['sessions:create', 'sessions:read'])];
    const agent = await createAgent(t);
    let created = 0;
    while ((await http(t).post(SESSIONS).set(bearer(spender.token)).send({ userId: 'alice', agentId: (await createAgent(t)).id })).status === 201) created++;
    expect(created).toBe(8);

    const session = await createSession(t, { userId: 'alice', agentId: agent.id }, bearer(victim.token));
    await getSession(session.sessionId, bearer(victim.token)).expect(200);
  });

  it('gives each key its own budget of an agent: a tenant flooding with every credential it has gets another tenant no 429', async () => {
    const scopes = ['sessions:create', 'sessions:read', 'sessions:write'];
    const [flooder, other] = [await createApiKey(t, scopes), await createApiKey(t, scopes)];
    const agent = await createAgent(t);
    const floods: CreatedSession[] = [];
    for (let i = 0; i < 4; i++) floods.push(await createSession(t, { userId: user(), agentId: agent.id, timeoutConfig: LONG_LIVED }, bearer(flooder.token)));
    let refused = 0;
    for (const flood of floods) {
      for (let i = 0; i < 10; i++) {
        for (const auth of [bearer(flood.token), bearer(flooder.token)]) {
          const status = (await http(t).post(`${SESSIONS}/${flood.sessionId}/messages`).set(auth).send({ content: 'flood' })).status;
          if (status === 429) refused++;
        }
      }
      t.clock.advanceMinutes(1);
    }
    for (let i = 0; i < 5; i++) {
      if ((await http(t).post(SESSIONS).set(bearer(flooder.token)).send({ userId: 'alice', agentId: agent.id })).status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(70);

    const session = await createSession(t, { userId: 'alice', agentId: agent.id, timeoutConfig: LONG_LIVED }, bearer(other.token));
    await getSession(session.sessionId, bearer(other.token)).expect(200);
    await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(bearer(session.token)).send({ content: 'hello' }).expect(201);
    await http(t).post(`${SESSIONS}/${session.sessionId}/heartbeat`).set(bearer(session.token)).expect(200);
  });

  describe('messages into a group channel, which start agent turns as session sends do', () => {
    const answeredChannel = async () => createChannel(t, { agentIds: [(await createAgent(t)).id] });
    const userMessages = async (channelId: string) => (await channelHistory(t, channelId)).filter((m) => !m.isAgent).map((m) => m.text);

    it('refuses the fourth REST post of a minute into one channel with 429, storing nothing for it', async () => {
      const channel = await answeredChannel();
      for (const text of ['one', 'two', 'three']) await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text }).expect(201);

      const refused = await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'four' });

      expect(expectRateLimited(refused, 'channel').details).toMatchObject({ limit: 3, windowSeconds: 60 });
      expect(await userMessages(channel.id)).toEqual(['one', 'two', 'three']);
    });

    it('limits Socket.IO sends into a group channel the same way', async () => {
      const channel = await answeredChannel();
      const client = await sockets.connect({ token: ADMIN_TOKEN });
      for (const text of ['one', 'two', 'three']) await expectOk(client.socket, 'message', { text, roomId: channel.id });

      const refused = await client.socket.timeout(5_000).emitWithAck('message', { text: 'four', roomId: channel.id });

      expect(refused).toMatchObject({ ok: false, error: 'RateLimitError', details: { scope: 'channel' } });
      expect(await userMessages(channel.id)).toEqual(['one', 'two', 'three']);
    });

    it('counts each chat of a /ws batch: a batch of ten stores three and refuses seven', async () => {
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const channel = await createChannel(t, { agentIds: [(await createAgent(t)).id], auth: bearer(key.token) });
      const client = await ws.connect({ token: key.token });
      const chats = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, type: 'chat', data: { message: `batched ${i}`, conversationId: channel.id } }));

      await client.call({ id: 'b1', type: 'batch', data: { messages: chats } });
      const answers = chats.map(({ id }) => client.frames.find((frame: WsFrame) => frame.id === id));

      expect(answers.map((frame) => (frame?.type === 'error' ? frame.data.code : frame?.type))).toEqual([
        ...Array(3).fill('chat_response'),
        ...Array(7).fill('RATE_LIMIT_EXCEEDED'),
      ]);
      expect(await userMessages(channel.id)).toEqual(['batched 0', 'batched 1', 'batched 2']);
    });

    it('charges channel messages to the posting key\'s own agent budget: one key flooding an agent, as many users, leaves another key alone with it', async () => {
      const agent = await createAgent(t);
      const other = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const refusals: string[] = [];
      for (let i = 0; i < 5; i++) {
        const channel = await createChannel(t, { agentIds: [agent.id] });
        for (let j = 0; j < 4; j++) {
          const response = await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'flood', entityId: `flood-user-${i}` });
          if (response.status === 429) refusals.push(response.body.details.scope);
        }
      }
      // The fourth channel fills the agent's 12 an hour, which then outlasts every channel's minute.
      expect(refusals).toEqual(['channel', 'channel', 'channel', 'agent', 'agent', 'agent', 'agent', 'agent']);

      const channel = await createChannel(t, { agentIds: [agent.id], auth: bearer(other.token) });
      await http(t).post(channelMessagesPath(channel.id)).set(bearer(other.token)).send({ text: 'hello' }).expect(201);
    });
  });

  it('limits messages sent over Socket.IO into a session too: the ack carries the 429 envelope', async () => {
    const session = await createSession(t, { userId: user() });
    const client = await sockets.connect({ token: session.token });
    await expectOk(client.socket, 'join', { roomId: session.sessionId });

    for (const text of ['one', 'two', 'three']) await expectOk(client.socket, 'message', { text, roomId: session.sessionId });
    const refused = await client.socket.timeout(5_000).emitWithAck('message', { text: 'four', roomId: session.sessionId });

    expect(refused).toMatchObject({ ok: false, error: 'RateLimitError', code: 'RATE_LIMIT_EXCEEDED', details: { scope: 'session' } });
  });
});

describe('failed authentications per client address (AUTH_FAILURES_PER_MINUTE)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '5' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const badToken = () => bearer(`sb_key_${randomBytes(32).toString('base64url')}`);

  it('answers 429 with Retry-After past the limit, lets a valid token from the same address through, and starts over next minute', async () => {
    t.clock.advanceMinutes(1);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await http(t).get('/api/agents').set(badToken())).status);
    const throttled = await http(t).get('/api/agents').set(badToken());

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(expectRateLimited(throttled, 'auth-failures').details).toMatchObject({ limit: 5, windowSeconds: 60 });
    await http(t).get('/api/agents').set(admin).expect(200);
    t.clock.advanceMinutes(1);
    expect((await http(t).get('/api/agents').set(badToken())).status).toBe(401);
  });

  it('logs each minute that had failures once, with their count and the busiest addresses', async () => {
    t.clock.advanceMinutes(1);
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 3; i++) await http(t).get('/api/agents').set(badToken()).expect(401);
      expect(warn.mock.calls.filter(([message]) => String(message).includes('failed authentication'))).toHaveLength(1);

      t.clock.advanceMinutes(1);
      await http(t).get('/api/agents').set(badToken()).expect(401);

      const reports = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('failed authentication'));
      expect(reports).toHaveLength(2);
      expect(reports[1]).toMatch(/^3 failed authentication\(s\) in the minute from .+, from 1 address\(es\): \S*127\.0\.0\.1 ×3$/);
    } finally {
      warn.mockRestore();
    }
  });

  it('counts Socket.IO and /ws handshakes with bad tokens too', async () => {
    t.clock.advanceMinutes(1);
    const url = await t.app.getUrl();
    const refusals: string[] = [];
    for (let i = 0; i < 6; i++) {
      const socket = io(url, { auth: { token: `sb_key_${randomBytes(32).toString('base64url')}` }, transports: ['websocket'], reconnection: false });
      const error = await new Promise<Error & { data?: { code?: string } }>((resolve) => socket.once('connect_error', resolve));
      socket.close();
      refusals.push(error.data?.code ?? 'none');
    }
    const plain = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: badToken() });
    const frame = await new Promise<{ data: { code: string } }>((resolve) => plain.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
    plain.close();

    expect(refusals).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'RATE_LIMIT_EXCEEDED']);
    expect(frame.data.code).toBe('RATE_LIMIT_EXCEEDED');
  });
});

describe('rate limits turned off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: RATE_LIMITS_OFF });
  });

  afterAll(async () => {
    await t.close();
  });

  it('never refuses with 0 as every limit', async () => {
    const session = await createSession(t);

    for (let i = 0; i < 70; i++) await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);
  });
});

/** Two instances on one database and one Redis share their counters: the limit holds across them. */
describe.skipIf(!onPostgres)('rate limits across two instances sharing Redis', () => {
  const clock = new FakeClock();
  let database: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...LIMITS, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-rate-${process.pid}-${randomBytes(4).toString('hex')}` };
    apps.push(await createTestApp({ database, clock, env }));
    apps.push(await createTestApp({ database, clock, env }));
  });

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close({ keepDatabase: true });
    await database?.drop();
  });

  it('refuses the fourth request of a minute to a session, whichever instance got the first three', async () => {
    const [first, second] = apps;
    const session = await createSession(first, { userId: `user-${randomUUID().slice(0, 8)}` });

    await http(first).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);
    await http(second).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);
    await http(first).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);

    expectRateLimited(await http(second).get(`${SESSIONS}/${session.sessionId}`).set(admin), 'session');
  });

  it('counts a refused request against nothing in Redis either, on every instance', async () => {
    const [first, second] = apps;
    const [userId, agent] = [`user-${randomUUID().slice(0, 8)}`, await createAgent(first)];
    const flooded = await createSession(first, { userId, agentId: agent.id, timeoutConfig: LONG_LIVED });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await http(i % 2 ? first : second).post(`${SESSIONS}/${flooded.sessionId}/heartbeat`).set(bearer(flooded.token))).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);

    const sibling = await createSession(second, { userId, agentId: agent.id, timeoutConfig: LONG_LIVED });
    for (let i = 0; i < 3; i++) await http(i % 2 ? first : second).get(`${SESSIONS}/${sibling.sessionId}`).set(bearer(sibling.token)).expect(200);
  });
});
