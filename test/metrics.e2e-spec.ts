import { randomUUID } from 'node:crypto';
import { gate } from '@switchboard/testing';
import { SCOPES } from '@switchboard/auth';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { admin, bearer, createApiKey, createSession, http } from './utils/fixtures';
import { onPostgres } from './utils/test-database';
import { expectAuthError } from './utils-auth/auth-helpers';
import { Scrape, scrapeUntil } from './utils-metrics/exposition';
import { expectOk, SocketPool } from './utils-realtime/sockets';
import { ofType, WsPool } from './utils-ws/ws-client';

const SESSIONS = '/api/messaging/sessions';
const SEND_ROUTE = `${SESSIONS}/:sessionId/messages`;
const HTTP_COUNT = 'switchboard_http_request_duration_seconds_count';
const MESSAGES = 'switchboard_messages_stored_total';
const SOCKETS = 'switchboard_connected_sockets';
const REFUSALS = 'switchboard_rate_limit_refusals_total';
const TURNS = 'switchboard_agent_turns';
const TURN_COUNT = 'switchboard_agent_turn_duration_seconds_count';
const WS_FRAMES_PER_WINDOW = 120;

describe('GET /metrics (Prometheus, metrics:read)', () => {
  let t: TestApp;
  let token: string;
  const sockets = SocketPool.for(() => t);
  const ws = new WsPool(() => t);
  const scrape = () => Scrape.of(t, token);

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_SESSION_PER_MINUTE: '3' } });
    token = (await createApiKey(t, ['metrics:read'])).token;
  });

  afterEach(async () => {
    t.agents.reset();
    sockets.closeAll();
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('who may scrape', () => {
    it('answers 401 without a token', async () => {
      expectAuthError(await http(t).get('/metrics'), 401);
    });

    it('answers 403 to a key holding every scope but metrics:read and admin', async () => {
      const key = await createApiKey(t, SCOPES.filter((scope) => scope !== 'metrics:read' && scope !== 'admin'));

      expectAuthError(await http(t).get('/metrics').set(bearer(key.token)), 403);
    });

    it('answers the text exposition format to a key holding exactly metrics:read, and to admin', async () => {
      for (const auth of [bearer(token), admin]) {
        const response = await http(t).get('/metrics').set(auth).expect(200);

        expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(response.text).toContain('# TYPE switchboard_http_request_duration_seconds histogram');
      }
    });

    it("carries Node's process metrics beside the service's own", async () => {
      const metrics = await scrape();

      expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(metrics.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    });
  });

  describe('HTTP requests', () => {
    it('counts a send by its route pattern and status, and names no session anywhere', async () => {
      const session = await createSession(t);
      const before = await scrape();

      await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(bearer(session.token)).send({ content: 'hello' }).expect(201);
      const after = await scrape();

      const sends = { method: 'POST', route: SEND_ROUTE, status_code: '201' };
      expect(after.since(before, HTTP_COUNT, sends)).toBe(1);
      expect(after.text).not.toContain(session.sessionId);
      expect(after.text).not.toContain(session.channelId);
    });

    it('counts refusals of the guard under their route, and requests no route matched under one label, without their URL', async () => {
      const unknownPath = `/api/nothing-here/${randomUUID()}`;
      const before = await scrape();

      await http(t).get(SESSIONS).expect(401);
      await http(t).get(unknownPath).set(admin).expect(404);
      const after = await scrape();

      const refused = { method: 'GET', route: SESSIONS, status_code: '401' };
      const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };
      expect(after.since(before, HTTP_COUNT, refused)).toBe(1);
      expect(after.since(before, HTTP_COUNT, unmatched)).toBe(1);
      expect(after.text).not.toContain(unknownPath);
    });
  });

  describe('messages and agent turns', () => {
    it("counts the user's message and the agent's reply, and times the reply", async () => {
      const session = await createSession(t);
      const before = await scrape();

      const sent = await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content: 'hello', mode: 'sync' }).expect(201);
      const after = await scrape();

      expect(sent.body.agentResponse).toBeDefined();
      expect(after.since(before, MESSAGES, { author: 'user' })).toBe(1);
      expect(after.since(before, MESSAGES, { author: 'agent' })).toBe(1);
      expect(after.since(before, TURN_COUNT, { outcome: 'replied' })).toBe(1);
    });

    it('times a failed answer as failed', async () => {
      const session = await createSession(t);
      t.agents.reply({ fail: 'the model is down' });
      const before = await scrape();

      await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content: 'hello', mode: 'sync' }).expect(201);
      const after = await scrape();

      expect(after.since(before, TURN_COUNT, { outcome: 'failed' })).toBe(1);
      expect(after.since(before, MESSAGES, { author: 'agent' })).toBe(0);
    });

    it('shows the turn running and the one queued behind it, from the store, and neither once both are answered', async () => {
      const session = await createSession(t);
      const held = gate();
      t.agents.reply({ text: 'first', until: held.promise });
      const send = (content: string) => http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content }).expect(201);

      await send('one');
      await send('two');
      await t.agents.waitForRequests(1);
      const busy = await scrape();
      held.open();
      const idle = await scrapeUntil(t, token, (metrics) => metrics.value(TURNS, { state: 'waiting' }) === 0 && metrics.value(TURNS, { state: 'running' }) === 0, 'no turns left');

      expect({ running: busy.value(TURNS, { state: 'running' }), waiting: busy.value(TURNS, { state: 'waiting' }) }).toEqual({ running: 1, waiting: 1 });
      expect(idle.value(TURNS, { state: 'running' })).toBe(0);
    });
  });

  describe('sockets', () => {
    it('counts a connected Socket.IO client and a /ws client by transport, and neither once they close', async () => {
      const before = await scrape();
      const socketIo = await sockets.connect({ token: ADMIN_TOKEN });
      const plain = await ws.connect({ token: ADMIN_TOKEN });

      const connected = await scrape();
      socketIo.socket.disconnect();
      await plain.close();
      const countedOut = (metrics: Scrape) => ['socket.io', 'ws'].every((transport) => metrics.since(before, SOCKETS, { transport }) === 0);
      await scrapeUntil(t, token, countedOut, 'both sockets to be counted out');

      expect(connected.since(before, SOCKETS, { transport: 'socket.io' })).toBe(1);
      expect(connected.since(before, SOCKETS, { transport: 'ws' })).toBe(1);
    });
  });

  describe('rate-limit refusals', () => {
    it('counts a REST request past its session limit as rule session on http', async () => {
      const session = await createSession(t);
      for (let i = 0; i < 3; i++) await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);
      const before = await scrape();

      await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(429);
      const after = await scrape();

      expect(after.since(before, REFUSALS, { rule: 'session', transport: 'http' })).toBe(1);
    });

    it('counts a Socket.IO send past its session limit as rule session on socket.io', async () => {
      const session = await createSession(t);
      const client = await sockets.connect({ token: session.token });
      await expectOk(client.socket, 'join', { roomId: session.sessionId });
      for (const text of ['one', 'two', 'three']) await expectOk(client.socket, 'message', { text, roomId: session.sessionId });
      const before = await scrape();

      const refused = await client.socket.timeout(5_000).emitWithAck('message', { text: 'four', roomId: session.sessionId });
      const after = await scrape();

      expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMIT_EXCEEDED' });
      expect(after.since(before, REFUSALS, { rule: 'session', transport: 'socket.io' })).toBe(1);
    });

    it('counts a /ws frame past its connection limit as rule connection on ws', async () => {
      const client = await ws.connect({ token: ADMIN_TOKEN });
      const before = await scrape();

      for (let i = 1; i <= WS_FRAMES_PER_WINDOW + 1; i++) client.send({ id: i, type: 'ping' });
      await client.next(ofType('error'));
      const after = await scrape();

      expect(after.since(before, REFUSALS, { rule: 'connection', transport: 'ws' })).toBe(1);
    });
  });

  describe('the expiry sweep', () => {
    it('times each sweep and counts the sessions it acted on', async () => {
      await createSession(t, { timeoutConfig: { timeoutMinutes: 5, warningThresholdMinutes: 1 } });
      const before = await scrape();

      const report = await t.advance({ minutes: 6 });
      const after = await scrape();

      const sweeps = 'switchboard_session_sweep_duration_seconds_count';
      const rows = 'switchboard_session_sweep_rows_total';
      expect(after.since(before, sweeps)).toBe(1);
      expect(report.expired).toBeGreaterThanOrEqual(1);
      expect(after.since(before, rows, { outcome: 'expired' })).toBe(report.expired);
      expect(after.since(before, rows, { outcome: 'warned' })).toBe(report.warned);
    });
  });

  describe('the database pool', () => {
    it.runIf(onPostgres)("reports the PostgreSQL pool's connections, idle ones and waiting queries", async () => {
      const metrics = await scrape();

      expect(metrics.value('switchboard_db_pool_max_connections')).toBe(10);
      expect(metrics.value('switchboard_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(metrics.value('switchboard_db_pool_idle_connections')).toBeLessThanOrEqual(metrics.value('switchboard_db_pool_connections')!);
      expect(metrics.value('switchboard_db_pool_waiting_queries')).toBe(0);
    });

    it.skipIf(onPostgres)('reports no pool on SQLite, which has one connection', async () => {
      const metrics = await scrape();

      expect(metrics.samples.filter((sample) => sample.name.startsWith('switchboard_db_pool_'))).toEqual([]);
    });
  });

  it('keeps the counts of each app apart when two run in one process', async () => {
    const other = await createTestApp();
    try {
      const otherToken = (await createApiKey(other, ['metrics:read'])).token;
      const session = await createSession(other);
      const before = await scrape();

      for (const content of ['one', 'two']) await http(other).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content }).expect(201);
      const [own, others] = [await scrape(), await Scrape.of(other, otherToken)];

      expect(others.value(MESSAGES, { author: 'user' })).toBe(2);
      expect(own.since(before, MESSAGES, { author: 'user' })).toBe(0);
    } finally {
      await other.close();
    }
  });
});
