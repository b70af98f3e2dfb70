import { randomBytes, randomUUID } from 'node:crypto';
import { EventBus, DomainEvents } from '@switchboard/common';
import { admin, createAgent, createSession, CreatedSession, http } from './utils/fixtures';
import { FakeClock } from './utils/fake-clock';
import { createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { within } from './utils-realtime/deadline';
import { FakeOpenAi, gate, stream } from './utils-realtime/fake-openai';
import { AgentResponseBody, parseEventStream, sessionMessagesPath } from './utils-realtime/rest';
import { WsPool } from './utils-ws/ws-client';
import { ADMIN_TOKEN } from './utils/test-app';

const BURSTS = 10;
const REPLY_WAIT_MS = 20_000;

interface StoredMessage {
  id: string;
  content: string;
  isAgent?: boolean;
  timestamp: number;
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Three instances of the app on one PostgreSQL schema and one Redis prefix: turns are rows claimed
 * in stored order under a lease, whichever instance stored the message, and a request waiting for
 * a reply hears of it from whichever instance ran the turn.
 */
describe.skipIf(!onPostgres)('agent turns across three instances', () => {
  // Real time, as in production: instances' inserts get different milliseconds and may commit out of order.
  const clock = new (class extends FakeClock {
    override now(): number {
      return Date.now();
    }
  })();
  let database: TestDatabase;
  const apps: TestApp[] = [];
  let fake: FakeOpenAi;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await FakeOpenAi.start();
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-turns-${process.pid}-${randomBytes(4).toString('hex')}`, AGENT_TURN_SWEEP_SECONDS: '1' };
    for (let i = 0; i < 3; i++) apps.push(await createTestApp({ database, clock, env }));
  });

  afterAll(async () => {
    await Promise.all(apps.map((t) => t.close({ keepDatabase: true })));
    await fake?.close();
    await database?.drop();
  });

  const history = async (sessionId: string): Promise<StoredMessage[]> =>
    [...((await http(apps[0]).get(sessionMessagesPath(sessionId)).query({ limit: 100 }).set(admin).expect(200)).body.messages as StoredMessage[])].reverse();

  const waitForMessages = async (sessionId: string, count: number): Promise<StoredMessage[]> => {
    let latest: StoredMessage[] = [];
    const started = Date.now();
    while (Date.now() - started < REPLY_WAIT_MS) {
      latest = await history(sessionId);
      if (latest.length >= count) return latest;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Expected ${count} messages, got ${latest.length}`);
  };

  /** Resolves once a message with this content is stored: its turn is queued. */
  const waitUntilStored = async (sessionId: string, content: string): Promise<void> => {
    const started = Date.now();
    while (!(await history(sessionId)).some((m) => m.content === content)) {
      if (Date.now() - started > REPLY_WAIT_MS) throw new Error(`"${content}" was never stored`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('answers 30 sends spread over the instances in concurrent bursts: one reply each, in stored order, each after its own message', async () => {
    const agent = await createAgent(apps[0]);
    const session = await createSession(apps[0], { agentId: agent.id, userId: 'user-burst' });

    for (let burst = 0; burst < BURSTS; burst++) {
      await Promise.all(
        apps.map((t, i) =>
          http(t)
            .post(sessionMessagesPath(session.sessionId))
            .set(admin)
            .send({ content: `burst ${burst} from instance ${i}` })
            .expect(201),
        ),
      );
    }
    const messages = await waitForMessages(session.sessionId, BURSTS * 3 * 2);

    const userMessages = messages.filter((m) => !m.isAgent);
    const replies = messages.filter((m) => m.isAgent);
    expect(userMessages).toHaveLength(BURSTS * 3);
    expect(replies.map((r) => r.metadata.inReplyTo)).toEqual(userMessages.map((m) => m.id));
    for (const reply of replies) {
      const answered = userMessages.find((m) => m.id === reply.metadata.inReplyTo)!;
      expect(reply.content).toBe(`You said: ${answered.content}`);
      expect(reply.timestamp).toBeGreaterThan(answered.timestamp);
    }
    // Stored order is what each turn saw: a reply comes before the next user message is answered.
    const positions = new Map(messages.map((m, index) => [m.id, index]));
    replies.forEach((reply, i) => {
      if (i + 1 < userMessages.length) expect(positions.get(reply.id)!).toBeLessThan(positions.get(replies[i + 1].id)!);
    });
  });

  it("reports an agent's emotion and queue the same on every instance", async () => {
    const agent = await createAgent(apps[0]);
    const session = await createSession(apps[0], { agentId: agent.id, userId: 'user-mood' });
    await http(apps[0]).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'What a day!', mode: 'sync' }).expect(201);
    const pool = new WsPool(() => apps[2]);
    try {
      const client = await pool.connect({ token: ADMIN_TOKEN });

      const status = await client.call({ type: 'status', targetAgent: agent.id });

      expect(status.data).toMatchObject({ agentId: agent.id, emotion: 'excited', queueLength: 0, currentTask: 'idle' });
    } finally {
      await pool.closeAll();
    }
  });

  describe('a send waiting on one instance while the turn runs on another', () => {
    let session: CreatedSession;
    const thinkingOn = (t: TestApp) => {
      const seen: Array<DomainEvents['agent.thinking']> = [];
      const off = t.app.get(EventBus).on('agent.thinking', (event) => seen.push(event));
      return { seen, off };
    };

    beforeAll(async () => {
      const agent = await createAgent(apps[0], { runtime: { provider: 'openai', model: 'local-model', baseUrl: fake.baseUrl } });
      session = await createSession(apps[0], { agentId: agent.id, userId: 'user-cross' });
    });

    /** A turn held by a slow provider on the second instance, so the next message of the session waits behind it there. */
    const holdTurnOnSecond = async () => {
      const held = gate();
      fake.reset();
      fake.reply({ kind: 'stream', chunks: ['First', ' answer'], hold: held.promise }, stream('Cross', '-instance', ' reply'));
      const first = await http(apps[1]).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'first' }).expect(201);
      await fake.requestCount(1);
      return { release: held.open, firstId: first.body.id as string };
    };

    it('sync: the first instance answers with the reply the second instance produced', async () => {
      const second = thinkingOn(apps[1]);
      const first = thinkingOn(apps[0]);
      const { release } = await holdTurnOnSecond();

      const sent = http(apps[0])
        .post(sessionMessagesPath(session.sessionId))
        .set(admin)
        .send({ content: 'second, in sync mode', mode: 'sync' })
        .then((response) => response);
      await waitUntilStored(session.sessionId, 'second, in sync mode');
      release();
      const response = await within(sent, REPLY_WAIT_MS, 'the sync answer');
      second.off();
      first.off();

      expect(response.status).toBe(201);
      const agentResponse = response.body.agentResponse as AgentResponseBody;
      expect(agentResponse.text).toBe('Cross-instance reply');
      expect(second.seen.map((e) => e.inReplyTo)).toContain(response.body.id);
      expect(first.seen.map((e) => e.inReplyTo)).not.toContain(response.body.id);
      const stored = (await history(session.sessionId)).find((m) => m.id === agentResponse.messageId)!;
      expect(stored.metadata.inReplyTo).toBe(response.body.id);
    });

    it('stream: the first instance streams the chunks the second instance receives, then done', async () => {
      const second = thinkingOn(apps[1]);
      const { release } = await holdTurnOnSecond();

      const url = `${await apps[0].app.getUrl()}${sessionMessagesPath(session.sessionId)}`;
      const responding = fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...admin },
        body: JSON.stringify({ content: 'third, streamed', mode: 'stream' }),
      });
      const response = await within(responding, 5_000, 'the stream to open');
      await waitUntilStored(session.sessionId, 'third, streamed');
      release();
      const events = parseEventStream(await within(response.text(), REPLY_WAIT_MS, 'the end of the stream'));
      second.off();

      const userMessageId = events[0].data.id as string;
      expect(events.map((e) => e.event)).toEqual(['user_message', 'chunk', 'chunk', 'chunk', 'done']);
      expect(events.filter((e) => e.event === 'chunk').map((e) => e.data.chunk)).toEqual(['Cross', '-instance', ' reply']);
      expect(events.at(-1)!.data).toMatchObject({ text: 'Cross-instance reply' });
      expect(second.seen.map((e) => e.inReplyTo)).toContain(userMessageId);
    });

    it('a retried messageId on another instance answers with the original reply', async () => {
      fake.reset();
      const messageId = randomUUID();
      const original = await http(apps[2]).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'retried', messageId, mode: 'sync' }).expect(201);

      const retry = await http(apps[0]).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'retried', messageId, mode: 'sync' }).expect(201);

      expect(retry.body.id).toBe(original.body.id);
      expect(retry.body.agentResponse).toEqual(original.body.agentResponse);
      expect(fake.requests).toHaveLength(1);
    });
  });
});
