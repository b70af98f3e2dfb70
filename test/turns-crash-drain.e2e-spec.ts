import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect, Socket as TcpSocket } from 'node:net';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { admin } from './utils/fixtures';
import { ADMIN_TOKEN } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { within } from './utils-realtime/deadline';
import { FakeOpenAi, gate, stream } from './utils-realtime/fake-openai';
import { sessionMessagesPath } from './utils-realtime/rest';
import { buildApp, Instance, startInstance, stopAll } from './utils-turns/instances';

/** Short on purpose: a lease just above the reply timeout, a sweep each second, a 3-s grace. */
const TURN_ENV = { AGENT_REPLY_TIMEOUT_MS: '3000', AGENT_TURN_LEASE_SECONDS: '4', AGENT_TURN_SWEEP_SECONDS: '1', SHUTDOWN_GRACE_SECONDS: '3' };
const LEASE_MS = 4_000;
const SWEEP_MS = 1_000;
const GRACE_MS = 3_000;
/** What a loaded machine may add to a takeover or an exit: process scheduling, not the design. */
const SLACK_MS = 3_000;

interface StoredMessage {
  id: string;
  content: string;
  authorId: string;
  /** A channel's messages carry their content as `text`. */
  text?: string;
  isAgent: boolean;
  messageId?: string;
  metadata: Record<string, unknown>;
}

async function api<T = Record<string, unknown>>(instance: Instance, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { ...admin, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function openAiSession(instance: Instance, fake: FakeOpenAi, userId: string): Promise<{ sessionId: string; agentId: string }> {
  const agent = await api<{ id: string }>(instance, 'POST', '/api/agents', {
    name: `turns-${randomBytes(4).toString('hex')}`,
    runtime: { provider: 'openai', model: 'local-model', baseUrl: fake.baseUrl },
  });
  const session = await api<{ sessionId: string }>(instance, 'POST', '/api/messaging/sessions', { agentId: agent.body.id, userId });
  return { sessionId: session.body.sessionId, agentId: agent.body.id };
}

/** The whole history behind a messages path (a session's or a channel's), oldest first, page by page. */
async function historyOf(instance: Instance, path: string): Promise<StoredMessage[]> {
  const all: StoredMessage[] = [];
  let before: number | null = null;
  for (;;) {
    const query: string = before === null ? 'limit=100' : `limit=100&before=${before}`;
    const page = await api<{ messages: StoredMessage[]; hasMore: boolean; cursors: { before: number | null } }>(instance, 'GET', `${path}?${query}`);
    all.push(...page.body.messages);
    if (!page.body.hasMore || page.body.cursors.before === null) return all.reverse();
    before = page.body.cursors.before;
  }
}

/** Polls until `done` holds for the session's history; returns it and when it first held. */
async function waitForHistory(instance: Instance, path: string, done: (messages: StoredMessage[]) => boolean, ms: number): Promise<{ messages: StoredMessage[]; at: number }> {
  const started = Date.now();
  for (;;) {
    const messages = await historyOf(instance, path);
    if (done(messages)) return { messages, at: Date.now() };
    if (Date.now() - started > ms) throw new Error(`Gave up after ${ms} ms; history: ${JSON.stringify(messages.map((m) => [m.content, m.isAgent]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const repliesTo = (messages: StoredMessage[], messageId: string) => messages.filter((m) => m.isAgent && m.metadata.inReplyTo === messageId);

describe('agent turns survive crashes, and a drain ends within its grace', () => {
  let build: ReturnType<typeof buildApp>;
  let fake: FakeOpenAi;
  const instances: Instance[] = [];
  const start = async (env: NodeJS.ProcessEnv): Promise<Instance> => {
    const instance = await startInstance(build.main, { ...TURN_ENV, ...env });
    instances.push(instance);
    return instance;
  };

  beforeAll(async () => {
    build = buildApp();
    fake = await FakeOpenAi.start();
  });

  afterAll(async () => {
    await stopAll(instances);
    await fake?.close();
    build?.remove();
  });

  beforeEach(() => fake.reset());

  describe.skipIf(!onPostgres)('three instances on PostgreSQL and Redis', () => {
    let database: TestDatabase;
    let env: NodeJS.ProcessEnv;
    let [first, second, third]: Instance[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      env = { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-crash-${process.pid}-${randomBytes(4).toString('hex')}` };
      // The first applies the migrations; the others start on a ready schema.
      first = await start(env);
      [second, third] = await Promise.all([start(env), start(env)]);
    });

    afterAll(async () => {
      await stopAll(instances);
      await database?.drop();
    });

    it('takes a turn over when its instance is killed mid-reply: exactly one reply, within lease + sweep, and a client of the dead instance gets it by rejoining another', async () => {
      const { sessionId } = await openAiSession(second, fake, 'user-crash');
      const onFirst = io(first.url, { auth: { token: ADMIN_TOKEN }, reconnection: false, transports: ['websocket'] });
      const lost = new Promise<string>((resolve) => onFirst.on('disconnect', (reason) => resolve(reason)));
      const joined = await within(new Promise<{ ok: boolean }>((resolve) => onFirst.emit('join', { roomId: sessionId }, resolve)), 5_000, 'the join on the first instance');
      expect(joined.ok).toBe(true);
      fake.reply({ kind: 'stall-mid-stream', chunks: ['Half an'] }, stream('Taken', ' over'));
      const sent = await api<{ id: string }>(first, 'POST', sessionMessagesPath(sessionId), { content: 'answer me, whoever lives' });
      expect(sent.status).toBe(201);
      await fake.requestCount(1);

      const killedAt = Date.now();
      first.process.kill('SIGKILL');
      await first.exited;
      const { messages, at } = await waitForHistory(second, sessionMessagesPath(sessionId), (m) => repliesTo(m, sent.body.id).length > 0, LEASE_MS + SWEEP_MS + SLACK_MS);
      console.info(`takeover after SIGKILL: ${at - killedAt} ms (lease ${LEASE_MS} ms, sweep ${SWEEP_MS} ms)`);

      expect(repliesTo(messages, sent.body.id).map((m) => m.content)).toEqual(['Taken over']);
      expect(await within(lost, 5_000, 'the dead instance\'s socket to drop')).toBe('transport close');
      const onSecond = io(second.url, { auth: { token: ADMIN_TOKEN }, reconnection: false, transports: ['websocket'] });
      const replayed: Array<{ text: string; replayed?: boolean }> = [];
      onSecond.on('messageBroadcast', (m: { text: string; replayed?: boolean }) => replayed.push(m));
      const rejoined = await within(
        new Promise<{ ok: boolean; replayed: number }>((resolve) => onSecond.emit('join', { roomId: sessionId, lastMessageId: sent.body.id }, resolve)),
        5_000,
        'the rejoin on another instance',
      );
      onSecond.close();
      onFirst.close();
      expect(rejoined).toMatchObject({ ok: true, replayed: 1 });
      expect(replayed).toEqual([expect.objectContaining({ text: 'Taken over', replayed: true })]);
      // Another sweep later, still one: the other instances do not answer it again.
      await new Promise((resolve) => setTimeout(resolve, 2 * SWEEP_MS));
      expect(repliesTo(await historyOf(third, sessionMessagesPath(sessionId)), sent.body.id)).toHaveLength(1);
      expect(fake.requests).toHaveLength(2);
    });

    it('takes a two-agent turn over when its instance dies between the agents: each agent answers each message once, in order, and the agent that had answered is not asked again', async () => {
      const doomed = await start(env);
      const agents = await Promise.all(
        ['one', 'two'].map((model) =>
          api<{ id: string }>(second, 'POST', '/api/agents', {
            name: `turns-${model}-${randomBytes(4).toString('hex')}`,
            runtime: { provider: 'openai', model: `model-${model}`, baseUrl: fake.baseUrl },
          }),
        ),
      );
      const channel = await api<{ id: string }>(second, 'POST', '/api/channels', {
        name: 'two agents',
        participants: agents.map((agent) => ({ entityId: agent.body.id, kind: 'agent' })),
      });
      const path = `/api/messaging/channels/${channel.body.id}/messages`;
      // The first agent answers the first message; the second stalls mid-reply on the doomed instance.
      fake.reply(stream('reply 1'), { kind: 'stall-mid-stream', chunks: ['Half'] }, stream('reply 3'), stream('reply 4'), stream('reply 5'));
      const m1 = await api<{ userMessage: { id: string } }>(doomed, 'POST', path, { text: 'first, for both agents' });
      const m2 = await api<{ userMessage: { id: string } }>(doomed, 'POST', path, { text: 'second, waiting behind it' });
      expect([m1.status, m2.status]).toEqual([201, 201]);
      await fake.requestCount(2);

      doomed.process.kill('SIGKILL');
      await doomed.exited;
      const { messages } = await waitForHistory(second, path, (m) => m.filter((x) => x.isAgent).length >= 4, LEASE_MS + SWEEP_MS + SLACK_MS + 5_000);
      // A later sweep answers nothing again.
      await new Promise((resolve) => setTimeout(resolve, 2 * SWEEP_MS));
      const settled = await historyOf(third, path);

      const [firstId, secondId] = [m1.body.userMessage.id, m2.body.userMessage.id];
      const firstAgent = messages.find((m) => m.text === 'reply 1')!.authorId;
      const secondAgent = agents.map((agent) => agent.body.id).find((id) => id !== firstAgent)!;
      const replies = settled.filter((m) => m.isAgent).map((m) => [m.metadata.inReplyTo, m.authorId, m.text]);
      expect(replies).toEqual([
        [firstId, firstAgent, 'reply 1'],
        [firstId, secondAgent, 'reply 3'],
        [secondId, firstAgent, 'reply 4'],
        [secondId, secondAgent, 'reply 5'],
      ]);
      const modelOf = (agentId: string) => (agentId === agents[0].body.id ? 'model-one' : 'model-two');
      expect(fake.requests.map((r) => r.body.model)).toEqual([firstAgent, secondAgent, secondAgent, firstAgent, secondAgent].map(modelOf));
    });

    it('a Socket.IO client whose instance is SIGKILLed misses several messages, rejoins another with lastMessageId, and gets each missed one once, in order', async () => {
      const doomed = await start(env);
      const echoAgent = await api<{ id: string }>(second, 'POST', '/api/agents', { name: `echo-${randomBytes(4).toString('hex')}` });
      const session = await api<{ sessionId: string }>(second, 'POST', '/api/messaging/sessions', { agentId: echoAgent.body.id, userId: 'user-missed' });
      const path = sessionMessagesPath(session.body.sessionId);
      const onDoomed = io(doomed.url, { auth: { token: ADMIN_TOKEN }, reconnection: false, transports: ['websocket'] });
      const seen: Array<{ id: string; text: string }> = [];
      onDoomed.on('messageBroadcast', (m: { id: string; text: string }) => seen.push(m));
      const joined = await within(new Promise<{ ok: boolean }>((resolve) => onDoomed.emit('join', { roomId: session.body.sessionId }, resolve)), 5_000, 'the join');
      expect(joined.ok).toBe(true);
      await api(third, 'POST', path, { content: 'seen before the crash' });
      await within(
        new Promise<void>((resolve) => onDoomed.on('messageBroadcast', () => seen.length >= 2 && resolve())),
        5_000,
        'the message and its reply before the crash',
      );
      const lastSeen = seen.at(-1)!;

      doomed.process.kill('SIGKILL');
      await doomed.exited;
      for (const n of [1, 2, 3]) expect((await api(third, 'POST', path, { content: `missed ${n}` })).status).toBe(201);
      const { messages } = await waitForHistory(second, path, (m) => m.filter((x) => x.isAgent).length >= 4, 10_000);
      const missed = messages.slice(messages.findIndex((m) => m.id === lastSeen.id) + 1);
      const onSecond = io(second.url, { auth: { token: ADMIN_TOKEN }, reconnection: false, transports: ['websocket'] });
      const replayed: Array<{ id: string; text: string; replayed?: boolean }> = [];
      onSecond.on('messageBroadcast', (m: { id: string; text: string; replayed?: boolean }) => replayed.push(m));
      const rejoined = await within(
        new Promise<{ ok: boolean; replayed: number }>((resolve) => onSecond.emit('join', { roomId: session.body.sessionId, lastMessageId: lastSeen.id }, resolve)),
        5_000,
        'the rejoin on another instance',
      );
      // One more round trip: a duplicate sent after the ack would have arrived by its answer.
      await within(new Promise((resolve) => onSecond.emit('request-world-state', { roomId: session.body.sessionId }, resolve)), 5_000, 'a round trip');
      onSecond.close();
      onDoomed.close();

      // Sends do not wait for replies, so a reply may come after the next message; each after its own, in order.
      const contents = missed.map((m) => m.content);
      expect(missed.filter((m) => !m.isAgent).map((m) => m.content)).toEqual(['missed 1', 'missed 2', 'missed 3']);
      expect(missed.filter((m) => m.isAgent).map((m) => m.content)).toEqual(['You said: missed 1', 'You said: missed 2', 'You said: missed 3']);
      for (const n of [1, 2, 3]) expect(contents.indexOf(`You said: missed ${n}`)).toBeGreaterThan(contents.indexOf(`missed ${n}`));
      expect(rejoined).toMatchObject({ ok: true, replayed: missed.length });
      expect(replayed.map((m) => [m.id, m.text, m.replayed])).toEqual(missed.map((m) => [m.id, m.content, true]));
    });

    it('SIGTERM under steady load: every accepted request answers normally, no acknowledged message is lost, and the instance exits within the grace', async () => {
      const draining = await start(env);
      const echoAgent = await api<{ id: string }>(second, 'POST', '/api/agents', { name: `echo-${randomBytes(4).toString('hex')}` });
      const load = await api<{ sessionId: string }>(second, 'POST', '/api/messaging/sessions', { agentId: echoAgent.body.id, userId: 'user-load' });
      const slow = await openAiSession(second, fake, 'user-slow');
      const held = gate();
      fake.reply({ kind: 'stream', chunks: ['Finished', ' while', ' draining'], hold: held.promise });

      // A sync send whose turn runs on the draining instance when SIGTERM arrives.
      const inFlight = api<{ agentResponse: { text: string } | null }>(draining, 'POST', sessionMessagesPath(slow.sessionId), { content: 'slow one', mode: 'sync' });
      await fake.requestCount(1);

      const targets = [draining, second, third];
      const acknowledged = new Set<string>();
      const failures: string[] = [];
      let stop = false;
      const client = async (worker: number) => {
        for (let n = 0; !stop; n++) {
          const messageId = randomUUID();
          for (let attempt = 0; ; attempt++) {
            const target = targets[(worker + n + attempt) % targets.length];
            try {
              const response = await api<{ messageId: string }>(target, 'POST', sessionMessagesPath(load.body.sessionId), { content: `load ${worker}.${n}`, messageId });
              if (response.status !== 201) failures.push(`${response.status} from ${target === draining ? 'the draining instance' : 'a live one'}`);
              else acknowledged.add(messageId);
              break;
            } catch {
              // Refused or reset before anything was accepted: the client retries elsewhere, with the same messageId.
              if (attempt > targets.length * 3) throw new Error(`message ${worker}.${n} found no instance`);
            }
          }
        }
      };
      const clients = [0, 1, 2].map(client);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const signalledAt = Date.now();
      draining.process.kill('SIGTERM');
      setTimeout(held.open, 500);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      stop = true;
      await Promise.all(clients);
      const exit = await within(draining.exited, GRACE_MS + SLACK_MS, 'the draining instance to exit');
      const answered = await inFlight;

      expect(failures).toEqual([]);
      expect(answered.status).toBe(201);
      expect(answered.body.agentResponse?.text).toBe('Finished while draining');
      expect(exit.at - signalledAt).toBeLessThan(GRACE_MS + 1_000);
      expect(exit.code).not.toBe(1);
      const { messages } = await waitForHistory(
        second,
        sessionMessagesPath(load.body.sessionId),
        (m) => m.filter((x) => x.isAgent).length >= acknowledged.size,
        LEASE_MS + SWEEP_MS + SLACK_MS,
      );
      const stored = messages.filter((m) => !m.isAgent);
      expect(new Set(stored.map((m) => m.messageId))).toEqual(acknowledged);
      expect(stored).toHaveLength(acknowledged.size);
      for (const message of stored) expect(repliesTo(messages, message.id)).toHaveLength(1);
    });
  });

  describe.skipIf(!onPostgres)('a turn still running when the grace ends, on PostgreSQL', () => {
    /** A lease of a minute and a long reply timeout: within these tests, only a hand-back lets another instance answer. */
    const LONG_LEASE = { AGENT_REPLY_TIMEOUT_MS: '30000', AGENT_TURN_LEASE_SECONDS: '60' };
    const TAKEOVER_MS = 10_000;
    const databases: TestDatabase[] = [];

    afterAll(async () => {
      await stopAll(instances);
      await Promise.all(databases.map((database) => database.drop()));
    });

    /**
     * SIGTERM an instance while its turn waits on a provider that never finishes: it exits within the
     * grace, and the other instance stores exactly one reply. `env` says how the other hears of it.
     */
    const handBack = async (env: NodeJS.ProcessEnv, user: string) => {
      // A database of its own: a turn another test left behind would be swept up here.
      const database = await createTestDatabase();
      databases.push(database);
      const draining = await start({ DATABASE_URL: database.url, ...LONG_LEASE, ...env });
      const taker = await start({ DATABASE_URL: database.url, ...LONG_LEASE, ...env });
      const { sessionId } = await openAiSession(taker, fake, user);
      fake.reply({ kind: 'stall-mid-stream', chunks: ['Half an'] }, stream('Handed', ' back'));
      const sent = await api<{ id: string }>(draining, 'POST', sessionMessagesPath(sessionId), { content: 'answer me, past the grace' });
      expect(sent.status).toBe(201);
      await fake.requestCount(1);

      const signalledAt = Date.now();
      draining.process.kill('SIGTERM');
      const exit = await within(draining.exited, GRACE_MS + SLACK_MS, 'the draining instance to exit');
      const { messages } = await waitForHistory(taker, sessionMessagesPath(sessionId), (m) => repliesTo(m, sent.body.id).length > 0, TAKEOVER_MS);
      await new Promise((resolve) => setTimeout(resolve, 2 * SWEEP_MS));
      const settled = await historyOf(taker, sessionMessagesPath(sessionId));
      taker.process.kill('SIGKILL');
      await taker.exited;

      expect(exit.at - signalledAt).toBeLessThan(GRACE_MS + 1_000);
      expect(exit.code).not.toBe(1);
      expect(repliesTo(messages, sent.body.id).map((m) => m.content)).toEqual(['Handed back']);
      expect(repliesTo(settled, sent.body.id)).toHaveLength(1);
      expect(fake.requests).toHaveLength(2);
    };

    it('hands its lease back at the end of the grace, and another instance, told through Redis, stores exactly one reply', async () => {
      // No sweep but the one at start: the relay's word is the only way the other instance can learn of the turn.
      await handBack({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-handback-${process.pid}-${randomBytes(4).toString('hex')}`, AGENT_TURN_SWEEP_SECONDS: '3600' }, 'user-handback');
    });

    it('without the relay (no Redis), the sweep of the other instance runs the handed-back turn: exactly one reply', async () => {
      await handBack({ AGENT_TURN_SWEEP_SECONDS: '1' }, 'user-no-relay');
    });
  });

  describe.skipIf(onPostgres)('one instance on SQLite', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await stopAll(instances);
      await database?.drop();
    });

    it('finishes a turn after a restart mid-reply: exactly one reply', async () => {
      const before = await start({ DATABASE_URL: database.url });
      const { sessionId } = await openAiSession(before, fake, 'user-restart');
      fake.reply({ kind: 'stall-mid-stream', chunks: ['Half an'] }, stream('Answered', ' after', ' restart'));
      const sent = await api<{ id: string }>(before, 'POST', sessionMessagesPath(sessionId), { content: 'still there?' });
      await fake.requestCount(1);

      before.process.kill('SIGKILL');
      await before.exited;
      const after = await start({ DATABASE_URL: database.url });
      const { messages } = await waitForHistory(after, sessionMessagesPath(sessionId), (m) => repliesTo(m, sent.body.id).length > 0, LEASE_MS + SWEEP_MS + SLACK_MS);

      expect(repliesTo(messages, sent.body.id).map((m) => m.content)).toEqual(['Answered after restart']);
      expect(fake.requests).toHaveLength(2);
      after.process.kill('SIGKILL');
      await after.exited;
    });

    it('SIGTERM closes an open /ws, a Socket.IO client, an idle keep-alive connection and a half-sent request, and exits within the grace', async () => {
      const instance = await start({ DATABASE_URL: database.url });
      const port = Number(new URL(instance.url).port);

      const ws = new WebSocket(`${instance.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
      const wsClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      await within(new Promise((resolve) => ws.once('message', resolve)), 5_000, '/ws to connect');

      const socket = io(instance.url, { auth: { token: ADMIN_TOKEN }, reconnection: false, transports: ['websocket'] });
      const socketDisconnected = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
      await within(new Promise<void>((resolve) => socket.once('connect', () => resolve())), 5_000, 'Socket.IO to connect');

      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      const idleSocket = await new Promise<TcpSocket>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/livez', agent: keepAlive }, (response) => {
          response.resume();
          response.on('end', () => resolve(request.socket as TcpSocket));
        });
        request.on('error', reject);
        request.end();
      });
      const idleClosed = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));

      const halfSent = connect(port, '127.0.0.1');
      await new Promise((resolve) => halfSent.once('connect', resolve));
      halfSent.write(`POST /api/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`);
      const halfSentClosed = new Promise<void>((resolve) => halfSent.once('close', () => resolve()));
      halfSent.on('error', () => undefined);

      const signalledAt = Date.now();
      instance.process.kill('SIGTERM');
      const exit = await within(instance.exited, GRACE_MS + SLACK_MS, 'the instance to exit');

      expect(exit.at - signalledAt).toBeLessThan(GRACE_MS + 1_000);
      expect(exit.code).not.toBe(1);
      expect(await within(wsClosed, 1_000, '/ws to close')).toBe(1012);
      expect(await within(socketDisconnected, 1_000, 'Socket.IO to disconnect')).toBe('io server disconnect');
      await within(idleClosed, 1_000, 'the keep-alive connection to close');
      await within(halfSentClosed, 1_000, 'the half-sent request to be cut');
      socket.close();
      keepAlive.destroy();
    });
  });
});
