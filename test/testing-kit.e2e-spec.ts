import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { EchoProvider, ReplyPart, RuntimeProvider } from '@switchboard/agents';
import {
  callApi,
  ClientPool,
  createAgent,
  createApiKey,
  createChannel,
  createSession,
  createSwitchboardTestApp,
  expectOk,
  FakeClock,
  settle,
  SocketPool,
  sqliteFile,
  SwitchboardApiError,
  SwitchboardTestApp,
  WsPool,
} from '@switchboard/testing';
import { onPostgres, PG_URL } from './utils/test-database';

/** What `@switchboard/testing` promises a team writing suites, checked through a real app. */
const sessionPath = (sessionId: string) => `/api/messaging/sessions/${sessionId}`;
const failure = (promise: Promise<unknown>) => promise.then(() => new Error('expected the call to fail'), (error: unknown) => error);

describe('@switchboard/testing', () => {
  describe('an app with the defaults', () => {
    let t: SwitchboardTestApp;
    const sockets = SocketPool.for(() => t);
    const wsClients = new WsPool(() => t);
    const clients = new ClientPool(() => t);

    beforeAll(async () => {
      t = await createSwitchboardTestApp();
    });

    afterEach(async () => {
      sockets.closeAll();
      clients.closeAll();
      await wsClients.closeAll();
      t.agents.reset();
    });

    afterAll(async () => {
      await t?.close();
    });

    it('runs on a fresh in-memory SQLite database, on a loopback port, and answers its admin token', async () => {
      expect(t.database.url).toBe('sqlite::memory:');
      expect(t.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const keys = await callApi<{ keys: unknown[] }>(t, 'GET', '/api/auth/keys');
      expect(keys.keys).toEqual([]);
    });

    it('makes API keys with exactly the scopes asked for', async () => {
      const reader = await createApiKey(t, ['agents:read']);
      const agent = await createAgent(t);

      expect(reader.scopes).toEqual(['agents:read']);
      await expect(callApi(t, 'GET', `/api/agents/${agent.id}`, { as: { token: reader.token } })).resolves.toMatchObject({ id: agent.id });
      expect(await failure(createAgent(t, {}, { token: reader.token }))).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });

    it('throws the error envelope of a factory call the server refuses', async () => {
      const refused = await failure(createSession(t, { agentId: '00000000-0000-4000-8000-000000000000' }));

      expect(refused).toBeInstanceOf(SwitchboardApiError);
      expect(refused).toMatchObject({ status: 404, body: { error: 'AgentNotFoundError', code: 'AGENT_NOT_FOUND' } });
    });

    it('makes a session whose token the browser uses, and a channel whose agents answer', async () => {
      const agent = await createAgent(t);
      const session = await createSession(t, { agentId: agent.id });
      const channel = await createChannel(t, { agentIds: [agent.id], users: ['user-9'], name: 'support' });
      t.agents.reply({ text: 'from the script' });

      const sent = await callApi<{ agentResponse: { text: string } }>(t, 'POST', `${sessionPath(session.sessionId)}/messages`, {
        body: { content: 'hi', mode: 'sync' },
        as: { token: session.token },
      });
      const posted = await callApi<{ agentResponse: { text: string } }>(t, 'POST', `/api/messaging/channels/${channel.id}/messages`, { body: { text: 'and here?', entityId: 'user-9', mode: 'sync' } });

      expect(channel.participants).toEqual(expect.arrayContaining([{ entityId: agent.id, kind: 'agent' }]));
      expect([sent.agentResponse.text, posted.agentResponse.text]).toEqual(['from the script', 'You said: and here?']);
    });

    it('scripts each agent apart: replyAs goes to its agent only, ahead of the replies for any agent', async () => {
      const [first, second] = [await createSession(t), await createSession(t)];
      t.agents.reply({ text: 'for anyone' }).replyAs(second.agentId as string, { text: 'for the second agent' });

      const answer = async (session: typeof first) =>
        (await callApi<{ agentResponse: { text: string } }>(t, 'POST', `${sessionPath(session.sessionId)}/messages`, { body: { content: 'who?', mode: 'sync' } })).agentResponse.text;

      expect(await answer(second)).toBe('for the second agent');
      expect(await answer(first)).toBe('for anyone');
      expect(t.agents.requests.map((r) => r.agentId)).toEqual([second.agentId, first.agentId]);
    });

    it('connects /ws clients with a session token: a chat gets the scripted reply', async () => {
      const session = await createSession(t);
      t.agents.reply({ chunks: ['Sure', ', done.'] });
      const client = await wsClients.connect({ token: session.token });

      const answer = await client.call({ type: 'chat', data: { message: 'do it', conversationId: session.sessionId } });

      expect(answer).toMatchObject({ type: 'chat_response', data: { response: 'Sure, done.', agentId: session.agentId } });
    });

    it('opens @switchboard/client conversations on a session token, recording what the conversation emits', async () => {
      const session = await createSession(t, { timeoutConfig: { timeoutMinutes: 10, warningThresholdMinutes: 2, autoRenew: false } });
      t.agents.reply({ chunks: ['Hello ', 'from the SDK'] });
      const chat = await clients.conversation(session);

      await chat.conversation.send('hi');
      const reply = await chat.next('reply');
      await t.advance({ minutes: 8 });
      const warning = await chat.next('warning');

      expect(reply).toMatchObject({ text: 'Hello from the SDK', isAgent: true, roomId: session.sessionId });
      expect(warning).toMatchObject({ sessionId: session.sessionId, minutesRemaining: 2 });
      expect(chat.names()).toEqual(expect.arrayContaining(['message', 'thinking', 'reply', 'messageComplete', 'warning']));
      // Ended here so that it does not expire under the next test's clock.
      await callApi(t, 'DELETE', sessionPath(session.sessionId));
    });

    it('drives the sweep with the clock: advance() warns, expires and purges what falls due', async () => {
      const session = await createSession(t, { timeoutConfig: { timeoutMinutes: 10, warningThresholdMinutes: 2, autoRenew: false } });
      const browser = await sockets.connect({ token: session.token });
      await expectOk(browser.socket, 'join', { roomId: session.sessionId });

      const reports = [await t.advance({ minutes: 7, seconds: 59 }), await t.advance({ seconds: 1 }), await t.advance({ minutes: 2 })];
      expect(reports.map((r) => [r.warned, r.expired])).toEqual([
        [0, 0],
        [1, 0],
        [0, 1],
      ]);
      await settle(browser.socket);
      expect(browser.log.names(session.sessionId).filter((name) => name.startsWith('session'))).toEqual(['sessionExpirationWarning', 'sessionExpired']);
      expect(await failure(callApi(t, 'GET', sessionPath(session.sessionId)))).toMatchObject({ status: 410 });

      expect((await t.advance({ minutes: 60 })).purged).toBeGreaterThanOrEqual(1);
      expect(await failure(callApi(t, 'GET', sessionPath(session.sessionId)))).toMatchObject({ status: 404 });
    });
  });

  describe('a slow agent', () => {
    const REPLY_TIMEOUT_MS = 400;
    let t: SwitchboardTestApp;

    beforeAll(async () => {
      t = await createSwitchboardTestApp({ env: { AGENT_REPLY_TIMEOUT_MS: String(REPLY_TIMEOUT_MS) } });
    });

    afterAll(async () => {
      await t?.close();
    });

    it('that stalls ends its turn at AGENT_REPLY_TIMEOUT_MS with PROVIDER_TIMEOUT', async () => {
      const session = await createSession(t);
      t.agents.reply({ chunks: ['Thinking'], stall: true });

      const sent = await callApi<{ agentResponse: unknown; agentError: { code: string } }>(t, 'POST', `${sessionPath(session.sessionId)}/messages`, { body: { content: 'hello?', mode: 'sync' } });

      expect(sent.agentResponse).toBeNull();
      expect(sent.agentError).toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    });

    it('that takes its time (delayMs) still answers within the deadline', async () => {
      const session = await createSession(t);
      t.agents.reply({ chunks: ['a', 'b'], delayMs: 20, chunkDelayMs: 20 });

      const sent = await callApi<{ agentResponse: { text: string } }>(t, 'POST', `${sessionPath(session.sessionId)}/messages`, { body: { content: 'hello?', mode: 'sync' } });

      expect(sent.agentResponse.text).toBe('ab');
    });
  });

  describe('options', () => {
    it("applies the suite's own overrides after the kit's", async () => {
      const fixed: RuntimeProvider = {
        async *stream(): AsyncIterable<ReplyPart> {
          yield { type: 'chunk', text: 'from the suite' };
          yield { type: 'done' };
        },
      };
      const t = await createSwitchboardTestApp({ override: (builder) => builder.overrideProvider(EchoProvider).useValue(fixed) });
      try {
        const session = await createSession(t);
        const sent = await callApi<{ agentResponse: { text: string } }>(t, 'POST', `${sessionPath(session.sessionId)}/messages`, { body: { content: 'x', mode: 'sync' } });
        expect(sent.agentResponse.text).toBe('from the suite');
      } finally {
        await t.close();
      }
    });

    it('refuses to hand one in-memory database to a second app, which would silently start empty', async () => {
      const first = await createSwitchboardTestApp();
      try {
        await expect(createSwitchboardTestApp({ database: first.database })).rejects.toThrow(/in-memory SQLite database belongs to the one app/);
      } finally {
        await first.close();
      }
    });

    it('restarts on a kept database with the same clock, and drops the database at the last close', async () => {
      const database = sqliteFile();
      const clock = new FakeClock();
      const first = await createSwitchboardTestApp({ database, clock });
      const session = await createSession(first);
      await first.close({ keepDatabase: true });

      const second = await createSwitchboardTestApp({ database, clock });
      await expect(callApi(second, 'GET', sessionPath(session.sessionId))).resolves.toMatchObject({ sessionId: session.sessionId });
      await second.close();

      expect(existsSync(database.url.slice('sqlite:'.length))).toBe(false);
    });
  });

  describe.skipIf(!onPostgres)('on PostgreSQL and Redis', () => {
    const schemaExists = async (url: string) => {
      const schema = new URL(url).searchParams.get('schema');
      const client = new Client({ connectionString: PG_URL });
      await client.connect();
      try {
        return (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount === 1;
      } finally {
        await client.end();
      }
    };

    it('gives each app a fresh schema on the server it is given, and drops it at close()', async () => {
      const t = await createSwitchboardTestApp({ postgresUrl: PG_URL });
      expect(t.database.url).toMatch(/[?&]schema=sb_test_/);
      expect(await schemaExists(t.database.url)).toBe(true);
      await createSession(t);
      await t.close();
      expect(await schemaExists(t.database.url)).toBe(false);
    });

    it('runs a cluster: a second instance on the same schema, Redis prefix, clock and script', async () => {
      const first = await createSwitchboardTestApp({ postgresUrl: PG_URL, redis: 'redis://127.0.0.1:6379' });
      const second = await createSwitchboardTestApp({
        database: first.database,
        redis: { url: 'redis://127.0.0.1:6379', keyPrefix: first.redisKeyPrefix },
        clock: first.clock,
        agents: first.agents,
      });
      const sockets = SocketPool.for(() => second);
      try {
        const session = await createSession(first);
        const watcher = await sockets.connect({ token: session.token });
        await expectOk(watcher.socket, 'join', { roomId: session.sessionId });
        first.agents.always({ text: 'one script for the cluster' });

        await callApi(first, 'POST', `${sessionPath(session.sessionId)}/messages`, { body: { content: 'over there?' } });

        const reply = await watcher.log.next('messageBroadcast', (m) => m.isAgent);
        expect(reply.text).toBe('one script for the cluster');
        expect(second.redisKeyPrefix).toBe(first.redisKeyPrefix);
      } finally {
        sockets.closeAll();
        await second.close({ keepDatabase: true });
        await first.close();
      }
    });
  });
});
