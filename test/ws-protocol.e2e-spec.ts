import { captureOutput } from './utils-auth/auth-helpers';
import { admin, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { within } from './utils-realtime/deadline';
import { FakeOpenAi, gate } from './utils-realtime/fake-openai';
import { ChannelBody, channelHistory, createChannel } from './utils-realtime/rest';
import { expectOk, settle, SocketPool } from './utils-realtime/sockets';
import { RawUpgrade } from './utils-ws/raw-upgrade';
import { FRAME_TIMEOUT_MS, ofType, WsFrame, WsPool, WsTestClient } from './utils-ws/ws-client';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_FRAME_BYTES = 256 * 1024;
const RATE_LIMIT_FRAMES = 120;
/** Port 9 (discard): nothing listens, so an agent pointed there fails at once. */
const DEAD_PROVIDER = 'http://127.0.0.1:9';

const errorFrame = (code: string, id?: string | number) => ({
  ...(id === undefined ? {} : { id }),
  type: 'error',
  data: { code, message: expect.any(String), details: expect.any(String), context: expect.any(Object) },
  timestamp: expect.stringMatching(ISO),
});

const isEvent =
  (eventType: string, agentId: string) =>
  (frame: WsFrame): boolean =>
    frame.type === 'event' && frame.data.eventType === eventType && frame.data.agentId === agentId;

describe('/ws typed protocol (seed 003)', () => {
  let t: TestApp;
  const ws = new WsPool(() => t);
  const sockets = SocketPool.for(() => t);

  beforeAll(async () => {
    t = await createTestApp({ env: { AGENT_REPLY_TIMEOUT_MS: '1000' } });
  });

  afterEach(async () => {
    sockets.closeAll();
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  const adminClient = () => ws.connect({ token: ADMIN_TOKEN });

  /** Chats and waits for the answer: `chat_response`, or the `error` frame for the same id. */
  const chat = (client: WsTestClient, message: string, fields: Record<string, unknown> = {}) =>
    client.call({ type: 'chat', ...fields, data: { message, ...((fields.data as Record<string, unknown> | undefined) ?? {}) } });

  describe('handshake', () => {
    it('without a token: sends an UNAUTHORIZED error, then closes with 4401', async () => {
      const client = await ws.open({});

      const refusal = await client.next(() => true);
      const closed = await client.closed;

      expect(refusal).toEqual(errorFrame('UNAUTHORIZED'));
      expect(closed.code).toBe(4401);
      expect(client.frames).toHaveLength(1);
    });

    it.each([
      ['Authorization: Bearer', 'bearer'],
      ['X-API-KEY', 'x-api-key'],
      ['?token=', 'query'],
    ] as const)('refuses an unknown token sent as %s: UNAUTHORIZED, then 4401', async (_, via) => {
      const client = await ws.open({ token: 'sb_key_not-a-real-key-0000000000000000000000', via });

      expect(await client.next(() => true)).toEqual(errorFrame('UNAUTHORIZED'));
      expect((await client.closed).code).toBe(4401);
    });

    it.each([
      ['Authorization: Bearer', 'bearer'],
      ['X-API-KEY', 'x-api-key'],
      ['?token= (browsers)', 'query'],
    ] as const)('accepts a key sent as %s: `connected` names the key, and requests are answered', async (_, via) => {
      const key = await createApiKey(t, ['agents:read']);

      const client = await ws.connect({ token: key.token, via });

      expect(client.frames[0]).toEqual({
        type: 'connected',
        data: { clientId: expect.stringMatching(/^ws:/), entityId: key.id, tokenKind: 'api-key' },
        timestamp: expect.stringMatching(ISO),
      });
      expect(await client.call({ type: 'ping' })).toMatchObject({ type: 'pong' });
    });

    it('accepts a session token: the connection speaks for the session\'s user', async () => {
      const session = await createSession(t, { userId: 'ws-handshake-user' });

      const client = await ws.connect({ token: session.token, via: 'query' });

      expect(client.frames[0].data).toMatchObject({ entityId: 'ws-handshake-user', tokenKind: 'session' });
    });

    it('refuses the token of a deleted session', async () => {
      const session = await createSession(t);
      await http(t).delete(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200);

      const client = await ws.open({ token: session.token });

      expect(await client.next(() => true)).toEqual(errorFrame('UNAUTHORIZED'));
      expect((await client.closed).code).toBe(4401);
    });

    // A client that sends in `onopen`, as the seed's example does, may be faster than the token lookup.
    // The raw client sends its first frame with the upgrade request, so the race always goes that way.
    it('answers a frame that arrives before the token has been checked', async () => {
      const session = await createSession(t);
      const raw = await RawUpgrade.open(await t.app.getUrl(), session.token, { id: 'first', type: 'ping' });
      try {
        await raw.next(ofType('connected'), FRAME_TIMEOUT_MS);
        raw.send({ id: 'second', type: 'ping' });
        await raw.next(ofType('pong', 'second'), FRAME_TIMEOUT_MS);

        expect(raw.frames.filter((f) => f.type === 'pong').map((f) => f.id)).toEqual(['first', 'second']);
      } finally {
        raw.close();
      }
    });
  });

  describe('revoking an API key', () => {
    it('closes its open /ws connections with 4401', async () => {
      const key = await createApiKey(t, ['agents:read']);
      const client = await ws.connect({ token: key.token });
      const bystander = await adminClient();

      await http(t).delete(`/api/auth/keys/${key.id}`).set(admin).expect(200);

      expect(await client.closed).toEqual({ code: 4401, reason: 'API key revoked' });
      await bystander.barrier();
    });

    // A client that ignores the close frame must not keep acting with the revoked key.
    it('stops acting on frames from a revoked key, even when the client ignores the close frame', async () => {
      const agent = await createAgent(t);
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const channel = await createChannel(t, { agentIds: [agent.id], users: [key.id] });
      const member = await adminClient();
      await member.call({ type: 'join_conversation', data: { conversationId: channel.id } });
      const raw = await RawUpgrade.open(await t.app.getUrl(), key.token, { type: 'join_conversation', data: { conversationId: channel.id } });
      try {
        await raw.next(ofType('conversation_joined'), FRAME_TIMEOUT_MS);

        await http(t).delete(`/api/auth/keys/${key.id}`).set(admin).expect(200);
        raw.send({ type: 'chat', data: { message: 'after revocation', conversationId: channel.id } });
        const outcome = await Promise.race([
          raw.ended.then(() => 'cut off'),
          member.next((f) => f.type === 'message' && f.data.text === 'after revocation', 5_000).then(() => 'executed'),
        ]);

        expect(outcome).toBe('cut off');
        expect((await channelHistory(t, channel.id)).map((m) => m.text)).not.toContain('after revocation');
      } finally {
        raw.close();
      }
    });
  });

  describe('envelope', () => {
    it('echoes a string id and stamps every response with an ISO timestamp', async () => {
      const client = await adminClient();

      const pong = await client.call({ id: 'abc-123', type: 'ping', timestamp: '2024-01-15T10:30:00.000Z' });

      expect(pong).toEqual({ id: 'abc-123', type: 'pong', data: {}, timestamp: expect.stringMatching(ISO) });
      expect(pong.timestamp).not.toBe('2024-01-15T10:30:00.000Z');
    });

    it('echoes a numeric id as a number', async () => {
      const client = await adminClient();

      const pong = await client.call({ id: 42, type: 'ping' });

      expect(pong.id).toBe(42);
    });
  });

  describe('chat', () => {
    it('answers a chat to an agent named by its unique name with chat_response {response, agentId, processingTime, emotion}', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();

      const answer = await chat(client, 'What can you help me with?', { targetAgent: agent.name, priority: 'high' });

      expect(answer).toEqual({
        id: expect.any(String),
        type: 'chat_response',
        data: expect.objectContaining({
          response: 'You said: What can you help me with?',
          agentId: agent.id,
          processingTime: expect.any(Number),
          emotion: 'curious',
          conversationId: expect.stringMatching(UUID),
          messageId: expect.stringMatching(UUID),
          userMessageId: expect.stringMatching(UUID),
        }),
        timestamp: expect.stringMatching(ISO),
      });
      expect(answer.data.processingTime).toBeGreaterThanOrEqual(0);
    });

    it('answers a chat to an agent named by its id', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();

      const answer = await chat(client, 'hello', { targetAgent: agent.id });

      expect(answer).toMatchObject({ type: 'chat_response', data: { response: 'You said: hello', agentId: agent.id, emotion: 'neutral' } });
    });

    it('keeps one conversation per connection and agent; data.conversationId continues it from anywhere; it is one channel over REST', async () => {
      const agent = await createAgent(t);
      const first = await adminClient();
      const other = await adminClient();

      const opening = await chat(first, 'first', { targetAgent: agent.name });
      const again = await chat(first, 'second', { targetAgent: agent.name });
      const continued = await chat(other, 'third', { data: { conversationId: opening.data.conversationId } });
      const fresh = await chat(other, 'elsewhere', { targetAgent: agent.name });

      const conversationId = opening.data.conversationId as string;
      expect([again.data.conversationId, continued.data.conversationId]).toEqual([conversationId, conversationId]);
      expect(continued.data).toMatchObject({ agentId: agent.id, response: 'You said: third' });
      expect(fresh.data.conversationId).not.toBe(conversationId);
      const history = await channelHistory(t, conversationId);
      expect(history.map((m) => [m.isAgent, m.text])).toEqual([
        [false, 'first'],
        [true, 'You said: first'],
        [false, 'second'],
        [true, 'You said: second'],
        [false, 'third'],
        [true, 'You said: third'],
      ]);
      expect(history.filter((m) => m.isAgent).map((m) => m.id)).toEqual([opening, again, continued].map((a) => a.data.messageId));
    });

    it('lets a session token chat into its own session without naming an agent', async () => {
      const session = await createSession(t);
      const client = await ws.connect({ token: session.token });

      const answer = await chat(client, 'from the session');

      expect(answer).toMatchObject({ type: 'chat_response', data: { response: 'You said: from the session', agentId: session.agentId, conversationId: session.sessionId } });
    });
  });

  describe('command', () => {
    it('reports queued → running → completed with result.output and executionTime, and stores the command for REST', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();

      const id = client.request({ type: 'command', targetAgent: agent.name, priority: 'high', data: { instruction: 'analyze project structure', parameters: { path: './src' } } });
      const queued = await client.next(ofType('command_result', id));
      const running = await client.next(ofType('command_result', id));
      const completed = await client.next(ofType('command_result', id));

      const commandId = queued.data.commandId as string;
      expect(commandId).toMatch(UUID);
      expect([queued, running, completed].map((f) => [f.data.commandId, f.data.status])).toEqual([
        [commandId, 'queued'],
        [commandId, 'running'],
        [commandId, 'completed'],
      ]);
      expect(queued.data).toMatchObject({ agentId: agent.id, result: null, executionTime: null });
      expect(completed).toMatchObject({
        timestamp: expect.stringMatching(ISO),
        data: {
          agentId: agent.id,
          instruction: 'analyze project structure',
          parameters: { path: './src' },
          result: { output: 'You said: analyze project structure\nParameters: {"path":"./src"}', actions: ['REPLY'] },
          executionTime: expect.any(Number),
          error: null,
          completedAt: expect.stringMatching(ISO),
        },
      });
      const stored = await http(t).get(`/api/agents/${agent.id}/commands/${commandId}`).set(admin).expect(200);
      expect(stored.body).toEqual(completed.data);
      const listed = await http(t).get(`/api/agents/${agent.id}/commands`).set(admin).expect(200);
      expect(listed.body).toMatchObject({ total: 1, commands: [{ commandId, status: 'completed' }] });
    });

    it('ends in failed, with the error, when the agent cannot run it; REST shows the same', async () => {
      const agent = await createAgent(t, { runtime: { provider: 'openai', baseUrl: DEAD_PROVIDER } });
      const client = await adminClient();

      const id = client.request({ type: 'command', targetAgent: agent.id, data: { instruction: 'summarize' } });
      const statuses = [await client.next(ofType('command_result', id)), await client.next(ofType('command_result', id)), await client.next(ofType('command_result', id))];

      expect(statuses.map((f) => f.data.status)).toEqual(['queued', 'running', 'failed']);
      expect(statuses[2].data).toMatchObject({ result: null, error: expect.any(String), executionTime: expect.any(Number) });
      const stored = await http(t).get(`/api/agents/${agent.id}/commands/${statuses[2].data.commandId as string}`).set(admin).expect(200);
      expect(stored.body).toMatchObject({ status: 'failed', error: statuses[2].data.error });
    });
  });

  describe('subscribe / unsubscribe', () => {
    it('sends agent_status when an agent is deactivated over REST', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();
      const subscribed = await client.call({ type: 'subscribe', data: { events: ['agent_status'] } });

      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200);

      expect(subscribed).toMatchObject({ type: 'subscribed', data: { events: ['agent_status'] } });
      expect(await client.next(isEvent('agent_status', agent.id))).toEqual({
        type: 'event',
        data: { eventType: 'agent_status', agentId: agent.id, previousStatus: 'active', status: 'inactive' },
        timestamp: expect.stringMatching(ISO),
      });
    });

    it('sends emotion_change as replies move the agent from neutral to excited ("!") to curious ("?")', async () => {
      const agent = await createAgent(t);
      const watcher = await adminClient();
      const talker = await adminClient();
      await watcher.call({ type: 'subscribe', data: { events: ['emotion_change'] } });

      const excited = await chat(talker, 'Great news!', { targetAgent: agent.name });
      await chat(talker, 'Really?', { targetAgent: agent.name });

      expect(excited.data.emotion).toBe('excited');
      expect([await watcher.next(isEvent('emotion_change', agent.id)), await watcher.next(isEvent('emotion_change', agent.id))].map((f) => f.data)).toEqual([
        { eventType: 'emotion_change', agentId: agent.id, conversationId: excited.data.conversationId, previousEmotion: 'neutral', currentEmotion: 'excited', intensity: 0.9 },
        { eventType: 'emotion_change', agentId: agent.id, conversationId: excited.data.conversationId, previousEmotion: 'excited', currentEmotion: 'curious', intensity: 0.6 },
      ]);
    });

    it('sends memory_update for each reply the agent stores', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();
      await client.call({ type: 'subscribe', data: { events: ['memory_update', 'agent_status'] } });

      const replies = [await chat(client, 'one', { targetAgent: agent.id }), await chat(client, 'two', { targetAgent: agent.id })];

      const updates = [await client.next(isEvent('memory_update', agent.id)), await client.next(isEvent('memory_update', agent.id))];
      expect(updates.map((f) => f.data)).toEqual(
        replies.map((r) => ({ eventType: 'memory_update', agentId: agent.id, conversationId: r.data.conversationId, messageId: r.data.messageId })),
      );
    });

    it('streams thoughts of one agent at or above filter.minImportance: the "!" and "?" thoughts, not the neutral one', async () => {
      const agent = await createAgent(t);
      const bystander = await createAgent(t);
      const client = await adminClient();
      const subscribed = await client.call({ type: 'subscribe', data: { stream: 'thoughts', agentId: agent.name, filter: { minImportance: 0.5 } } });

      const mark = client.mark();
      await chat(client, 'calm.', { targetAgent: agent.name });
      await chat(client, 'wow!', { targetAgent: agent.name });
      await chat(client, 'why?', { targetAgent: agent.name });
      await chat(client, 'not watched!', { targetAgent: bystander.name });
      await client.barrier();

      expect(subscribed.data).toEqual({ stream: 'thoughts', agentId: agent.id, filter: { minImportance: 0.5 } });
      expect(client.since(mark, ofType('event')).map((f) => f.data)).toEqual([
        expect.objectContaining({ eventType: 'thought', stream: 'thoughts', agentId: agent.id, thought: 'Echoing 4 characters back', importance: 0.9 }),
        expect.objectContaining({ eventType: 'thought', stream: 'thoughts', agentId: agent.id, thought: 'Echoing 4 characters back', importance: 0.6 }),
      ]);
    });

    it('sends nothing after unsubscribe, for events or the thought stream', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();
      await client.call({ type: 'subscribe', data: { events: ['agent_status', 'memory_update', 'emotion_change'] } });
      await client.call({ type: 'subscribe', data: { stream: 'thoughts', agentId: agent.id } });

      const left = await client.call({ type: 'unsubscribe', data: { events: ['agent_status', 'memory_update', 'emotion_change'] } });
      const stopped = await client.call({ type: 'unsubscribe', data: { stream: 'thoughts' } });
      const mark = client.mark();
      await chat(client, 'anyone listening!', { targetAgent: agent.id });
      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200);
      await client.barrier();

      expect(left).toMatchObject({ type: 'unsubscribed', data: { events: [], streams: ['thoughts'] } });
      expect(stopped).toMatchObject({ type: 'unsubscribed', data: { events: [], streams: [] } });
      expect(client.since(mark, ofType('event'))).toEqual([]);
    });
  });

  describe('join_conversation', () => {
    it('joins a conversation and adds the agents named by id or name as participants', async () => {
      const [first, second, third] = [await createAgent(t), await createAgent(t), await createAgent(t)];
      const channel = await createChannel(t, { agentIds: [first.id], users: ['user-1'] });
      const client = await adminClient();

      const joined = await client.call({ type: 'join_conversation', data: { conversationId: channel.id, agents: [second.name, third.id] } });

      expect(joined).toMatchObject({ type: 'conversation_joined', data: { conversationId: channel.id, channelId: channel.id } });
      const stored = (await http(t).get(`/api/channels/${channel.id}`).set(admin).expect(200)).body as ChannelBody;
      expect(stored.participants).toEqual(
        expect.arrayContaining([
          { entityId: 'user-1', kind: 'user' },
          { entityId: first.id, kind: 'agent' },
          { entityId: second.id, kind: 'agent' },
          { entityId: third.id, kind: 'agent' },
        ]),
      );
      expect(joined.data.participants).toEqual(expect.arrayContaining(stored.participants));
    });

    it('makes the client a member: it gets a `message` frame for each message of the conversation', async () => {
      const agent = await createAgent(t);
      const reader = await createApiKey(t, ['messaging:read']);
      const channel = await createChannel(t, { agentIds: [agent.id], users: [reader.id] });
      const client = await ws.connect({ token: reader.token });
      await client.call({ type: 'join_conversation', data: { conversationId: channel.id } });

      await http(t).post(`/api/messaging/channels/${channel.id}/messages`).set(admin).send({ text: 'over REST', entityId: 'user-1' }).expect(201);

      const user = await client.next(ofType('message'));
      const reply = await client.next(ofType('message'));
      expect([user.data, reply.data]).toEqual([
        expect.objectContaining({ roomId: channel.id, channelId: channel.id, text: 'over REST', isAgent: false }),
        expect.objectContaining({ roomId: channel.id, channelId: channel.id, text: 'You said: over REST', isAgent: true, senderId: agent.id }),
      ]);
    });
  });

  describe('agent_handoff', () => {
    /** A conversation the first /ws client opened with `from`, a second /ws client and a Socket.IO client in it. */
    const conversationWithMembers = async () => {
      const [from, to] = [await createAgent(t), await createAgent(t)];
      const owner = await adminClient();
      const opening = await chat(owner, 'hello', { targetAgent: from.name });
      const conversationId = opening.data.conversationId as string;
      const member = await adminClient();
      await member.call({ type: 'join_conversation', data: { conversationId } });
      const io = await sockets.connect({ token: ADMIN_TOKEN });
      await expectOk(io.socket, 'join', { roomId: conversationId });
      return { from, to, owner, member, io, conversationId };
    };

    it('hands the conversation to the new agent: the next chat is answered by it, and the other /ws members are told', async () => {
      const { from, to, owner, member, conversationId } = await conversationWithMembers();

      const done = await owner.call({ type: 'agent_handoff', data: { fromAgent: from.name, toAgent: to.id, conversationId, reason: 'Specialized knowledge required' } });
      const next = await chat(owner, 'are you new?', { data: { conversationId } });

      const handoff = { conversationId, fromAgent: from.id, toAgent: to.id, reason: 'Specialized knowledge required' };
      expect(done).toMatchObject({ type: 'handoff_complete', data: handoff });
      expect(await member.next(ofType('agent_handoff'))).toMatchObject({ type: 'agent_handoff', data: { ...handoff, channelId: conversationId } });
      expect(next.data).toMatchObject({ agentId: to.id, response: 'You said: are you new?' });
      const stored = (await http(t).get(`/api/channels/${conversationId}`).set(admin).expect(200)).body as ChannelBody;
      expect(stored.participants.filter((p) => p.kind === 'agent').map((p) => p.entityId)).toEqual([to.id]);
    });

    it('tells a Socket.IO client in the room (agent_handoff)', async () => {
      const { from, to, owner, io, conversationId } = await conversationWithMembers();

      await owner.call({ type: 'agent_handoff', data: { fromAgent: from.id, toAgent: to.id, conversationId, reason: 'escalation' } });
      await settle(io.socket);

      const told = io.log.received.filter((r) => (r.event as string) === 'agent_handoff').map((r) => r.payload);
      expect(told).toEqual([expect.objectContaining({ fromAgent: from.id, toAgent: to.id, reason: 'escalation' })]);
    });

    it('refuses a handoff from an agent that is not in the conversation: INVALID_MESSAGE', async () => {
      const { to, owner, conversationId } = await conversationWithMembers();
      const stranger = await createAgent(t);

      const refused = await owner.call({ type: 'agent_handoff', data: { fromAgent: stranger.id, toAgent: to.id, conversationId } });

      expect(refused).toEqual(errorFrame('INVALID_MESSAGE', refused.id));
    });

    it('hands a session over: the session then names the new agent, and it answers there', async () => {
      const session = await createSession(t);
      const from = session.agentId as string;
      const to = await createAgent(t);
      const owner = await adminClient();

      await owner.call({ type: 'agent_handoff', data: { fromAgent: from, toAgent: to.id, conversationId: session.sessionId } });
      const reply = await owner.call({ type: 'chat', data: { message: 'still there?', conversationId: session.sessionId } });

      const stored = (await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200)).body as { agentId: string };
      expect(stored.agentId).toBe(to.id);
      expect(reply.data).toMatchObject({ agentId: to.id, response: 'You said: still there?' });
    });
  });

  describe('typing_start / typing_stop', () => {
    it('relays typing to the other /ws members and to Socket.IO as userTyping, never back to the sender', async () => {
      const session = await createSession(t, { userId: 'typist' });
      const typist = await ws.connect({ token: session.token });
      const member = await adminClient();
      await member.call({ type: 'join_conversation', data: { conversationId: session.sessionId } });
      const io = await sockets.connect({ token: ADMIN_TOKEN });
      await expectOk(io.socket, 'join', { roomId: session.sessionId });

      const mark = typist.mark();
      const started = await typist.call({ type: 'typing_start', conversationId: session.sessionId, userId: 'typist' });
      const startedSeen = await member.next(ofType('typing'));
      const startedIo = await io.log.next('userTyping');
      const stopped = await typist.call({ type: 'typing_stop', conversationId: session.sessionId, userId: 'typist' });
      const stoppedSeen = await member.next(ofType('typing'));
      const stoppedIo = (await io.log.waitFor('userTyping', undefined, { count: 2 }))[1];
      await typist.barrier();

      expect([started.type, stopped.type]).toEqual(['typing_started', 'typing_stopped']);
      expect([startedSeen.data, stoppedSeen.data]).toEqual([
        { conversationId: session.sessionId, channelId: session.channelId, entityId: 'typist', userId: 'typist', isTyping: true },
        { conversationId: session.sessionId, channelId: session.channelId, entityId: 'typist', userId: 'typist', isTyping: false },
      ]);
      expect([startedIo, stoppedIo]).toEqual([
        { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId, entityId: 'typist', userId: 'typist', isTyping: true },
        { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId, entityId: 'typist', userId: 'typist', isTyping: false },
      ]);
      expect(typist.since(mark, ofType('typing'))).toEqual([]);
    });

    it('relays typing sent without an id, with conversationId in data, and answers nothing', async () => {
      const channel = await createChannel(t);
      const typist = await adminClient();
      const member = await adminClient();
      await member.call({ type: 'join_conversation', data: { conversationId: channel.id } });

      const mark = typist.mark();
      typist.send({ type: 'typing_start', data: { conversationId: channel.id } });

      expect((await member.next(ofType('typing'))).data).toMatchObject({ conversationId: channel.id, isTyping: true });
      await typist.barrier();
      expect(typist.since(mark, (f) => f.type !== 'pong')).toEqual([]);
    });
  });

  describe('status', () => {
    it('answers status_update {agentId, status, currentTask, queueLength, uptime}', async () => {
      const agent = await createAgent(t);
      t.clock.advanceMs(90_000);

      const client = await adminClient();
      const status = await client.call({ type: 'status', targetAgent: agent.name });

      expect(status).toEqual({
        id: expect.any(String),
        type: 'status_update',
        data: { agentId: agent.id, name: agent.name, status: 'active', currentTask: 'idle', queueLength: 0, uptime: 90_000, emotion: 'neutral' },
        timestamp: expect.stringMatching(ISO),
      });
    });

    it('reports processing_request and the queue while the agent is answering', async () => {
      const fake = await FakeOpenAi.start();
      const held = gate();
      fake.reply({ kind: 'stream', chunks: ['slow'], hold: held.promise });
      try {
        const agent = await createAgent(t, { runtime: { provider: 'openai', baseUrl: fake.baseUrl } });
        const client = await adminClient();
        const chatId = client.request({ type: 'chat', targetAgent: agent.id, data: { message: 'take your time' } });
        await fake.requestCount(1);

        const busy = await client.call({ type: 'status', targetAgent: agent.id });
        held.open();
        await client.next(ofType('chat_response', chatId));
        const idle = await client.call({ type: 'status', targetAgent: agent.id });

        expect(busy.data).toMatchObject({ currentTask: 'processing_request', queueLength: 1 });
        expect(idle.data).toMatchObject({ currentTask: 'idle', queueLength: 0 });
      } finally {
        held.open();
        await fake.close();
      }
    });
  });

  describe('ping and batch', () => {
    it('answers ping with pong', async () => {
      const client = await adminClient();

      expect(await client.call({ id: 'p1', type: 'ping' })).toEqual({ id: 'p1', type: 'pong', data: {}, timestamp: expect.stringMatching(ISO) });
    });

    it('runs each message of a batch in order, answers each with its own id (or a derived one), then batch_complete', async () => {
      const agent = await createAgent(t);
      const client = await adminClient();

      client.send({
        id: 'b1',
        type: 'batch',
        targetAgent: agent.name,
        data: {
          messages: [
            { id: 'q1', type: 'chat', data: { message: 'First question' } },
            { type: 'status' },
            { id: 7, type: 'no_such_type' },
            { id: 'q2', type: 'chat', data: { message: 'Second question' } },
            { id: 'c1', type: 'command', data: { instruction: 'summarize' } },
          ],
        },
      });
      await client.next(ofType('batch_complete', 'b1'));

      const answered = client.all((f) => f.id !== undefined).map((f) => [f.id, f.type, f.data.status ?? f.data.response ?? f.data.code]);
      expect(answered).toEqual([
        ['q1', 'chat_response', 'You said: First question'],
        ['b1:1', 'status_update', 'active'],
        [7, 'error', 'INVALID_MESSAGE'],
        ['q2', 'chat_response', 'You said: Second question'],
        ['c1', 'command_result', 'queued'],
        ['c1', 'command_result', 'running'],
        ['c1', 'command_result', 'completed'],
        ['b1', 'batch_complete', undefined],
      ]);
      expect(client.all(ofType('batch_complete'))[0].data).toEqual({ count: 5 });
    });

    // A message refused as a frame is refused inside a batch too.
    it('checks each batch message as it checks a frame: a bad targetAgent or id is INVALID_MESSAGE', async () => {
      const client = await adminClient();

      client.send({ id: 'b2', type: 'batch', data: { messages: [{ type: 'status', targetAgent: 42 }, { id: { nested: true }, type: 'ping' }] } });
      await client.next(ofType('batch_complete', 'b2'));

      expect(client.all((f) => f.id !== undefined && f.type !== 'batch_complete').map((f) => [f.id, f.type, f.data.code])).toEqual([
        ['b2:0', 'error', 'INVALID_MESSAGE'],
        ['b2:1', 'error', 'INVALID_MESSAGE'],
      ]);
    });
  });

  describe('errors', () => {
    it('answers a frame that is not JSON with INVALID_MESSAGE and keeps the connection', async () => {
      const client = await adminClient();

      client.sendRaw('{not json');
      const refused = await client.next(ofType('error'));

      expect(refused).toEqual(errorFrame('INVALID_MESSAGE'));
      expect(await client.call({ type: 'ping' })).toMatchObject({ type: 'pong' });
      expect(client.isOpen).toBe(true);
    });

    it.each([
      ['a JSON array', '[1,2]'],
      ['an object without type', '{"id":"x1","data":{}}'],
      ['data that is not an object', '{"id":"x1","type":"chat","data":"hello"}'],
      ['a binary frame', Buffer.from('{"type":"ping"}')],
    ])('answers %s with INVALID_MESSAGE and keeps the connection', async (_, frame) => {
      const client = await adminClient();

      client.sendRaw(frame);

      expect((await client.next(ofType('error'))).data.code).toBe('INVALID_MESSAGE');
      await client.barrier();
    });

    it('answers an unknown type with INVALID_MESSAGE, echoing the id', async () => {
      const client = await adminClient();

      const refused = await client.call({ id: 'u1', type: 'teleport' });

      expect(refused).toEqual(errorFrame('INVALID_MESSAGE', 'u1'));
      expect(refused.data.message).toContain('teleport');
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('answers the prototype name %s as an unknown type, logging nothing', async (type) => {
      const client = await adminClient();

      const { result: refused, output } = await captureOutput(() => client.call({ id: 'p1', type }));

      expect(refused).toEqual(errorFrame('INVALID_MESSAGE', 'p1'));
      expect(refused.data.message).toContain('Unknown message type');
      expect(output).not.toContain('failed');
    });

    it.each([
      ['chat', { data: { message: 'to whom?' } }],
      ['command', { data: { instruction: 'do it' } }],
      ['status', {}],
    ])('answers %s without targetAgent with INVALID_MESSAGE', async (type, fields) => {
      const client = await adminClient();

      const refused = await client.call({ type, ...fields });

      expect(refused).toEqual(errorFrame('INVALID_MESSAGE', refused.id));
      expect(refused.data.context).toMatchObject({ reason: expect.stringContaining('targetAgent') });
    });

    it.each([
      ['chat', { data: { message: 'anyone?' } }],
      ['command', { data: { instruction: 'do it' } }],
      ['status', {}],
      ['subscribe', { data: { stream: 'thoughts', agentId: 'nobody-by-this-name' } }],
    ])('answers %s to an unknown agent with AGENT_NOT_FOUND', async (type, fields) => {
      const client = await adminClient();

      const refused = await client.call({ type, targetAgent: 'nobody-by-this-name', ...fields });

      expect(refused).toEqual(errorFrame('AGENT_NOT_FOUND', refused.id));
    });

    it('answers a command with a key lacking agents:manage with UNAUTHORIZED, and stores nothing', async () => {
      const agent = await createAgent(t);
      const key = await createApiKey(t, ['agents:read', 'messaging:read', 'messaging:write']);
      const client = await ws.connect({ token: key.token });

      const refused = await client.call({ type: 'command', targetAgent: agent.id, data: { instruction: 'shut down' } });

      expect(refused).toEqual(errorFrame('UNAUTHORIZED', refused.id));
      expect(refused.data.context).toEqual({ requiredScopes: ['agents:manage'] });
      expect((await http(t).get(`/api/agents/${agent.id}/commands`).set(admin).expect(200)).body.total).toBe(0);
      expect(client.isOpen).toBe(true);
    });

    /** Each request, the scopes of a key that lacks what it needs, and the frame (for a conversation with `agent`, naming `other`). */
    const underScoped: Array<[string, string[], (conversationId: string, agent: string, other: string) => Record<string, unknown>]> = [
      ['subscribe without agents:read', ['messaging:read'], () => ({ type: 'subscribe', data: { events: ['agent_status'] } })],
      ['status without agents:read', ['messaging:read'], (_, agent) => ({ type: 'status', targetAgent: agent })],
      ['chat opening a conversation without messaging:write', ['messaging:read', 'agents:read'], (_, agent) => ({ type: 'chat', targetAgent: agent, data: { message: 'hi' } })],
      ['chat into a conversation without messaging:write', ['messaging:read', 'agents:read'], (conversationId) => ({ type: 'chat', data: { message: 'hi', conversationId } })],
      ['join_conversation adding agents without messaging:write', ['messaging:read', 'agents:read'], (conversationId, _, other) => ({ type: 'join_conversation', data: { conversationId, agents: [other] } })],
      ['join_conversation without messaging:read', ['agents:read'], (conversationId) => ({ type: 'join_conversation', data: { conversationId } })],
      ['agent_handoff without messaging:write', ['messaging:read', 'agents:read'], (conversationId, agent, other) => ({ type: 'agent_handoff', data: { conversationId, fromAgent: agent, toAgent: other } })],
      ['the thought stream without sessions:manage (thoughts reveal any conversation)', ['agents:read'], (_, agent) => ({ type: 'subscribe', data: { stream: 'thoughts', agentId: agent } })],
    ];

    it.each(underScoped)('answers %s with UNAUTHORIZED', async (_, scopes, frame) => {
      const [agent, other, key] = [await createAgent(t), await createAgent(t), await createApiKey(t, scopes)];
      const channel = await createChannel(t, { agentIds: [agent.id], users: [key.id] });
      const client = await ws.connect({ token: key.token });

      const refused = await client.call(frame(channel.id, agent.id, other.id));

      expect(refused).toEqual(errorFrame('UNAUTHORIZED', refused.id));
      expect(client.isOpen).toBe(true);
    });

    it('answers a chat to an inactive agent with AGENT_NOT_FOUND, naming its status', async () => {
      const agent = await createAgent(t);
      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200);
      const client = await ws.connect({ token: (await createApiKey(t, ['messaging:write'])).token });

      const refused = await client.call({ type: 'chat', targetAgent: agent.name, data: { message: 'anyone there?' } });

      expect(refused).toEqual(errorFrame('AGENT_NOT_FOUND', refused.id));
      expect(refused.data.context).toMatchObject({ agentId: agent.id, status: 'inactive' });
    });

    it.each([
      ['command', { data: { instruction: 'do it' } }],
      ['subscribe', { data: { events: ['agent_status'] } }],
      ['status', {}],
    ])('answers %s from a session token with UNAUTHORIZED', async (type, fields) => {
      const session = await createSession(t);
      const client = await ws.connect({ token: session.token });

      const refused = await client.call({ type, targetAgent: session.agentId, ...fields });

      expect(refused).toEqual(errorFrame('UNAUTHORIZED', refused.id));
    });

    it(`answers frame ${RATE_LIMIT_FRAMES + 1} within the window with RATE_LIMIT_EXCEEDED, after ${RATE_LIMIT_FRAMES} answers`, async () => {
      const client = await adminClient();

      for (let i = 1; i <= RATE_LIMIT_FRAMES + 1; i++) client.send({ id: i, type: 'ping' });
      const limited = await client.next(ofType('error'));

      expect(limited.data).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), details: expect.any(String), context: expect.any(Object) });
      expect(client.all(ofType('pong')).map((f) => f.id)).toEqual(Array.from({ length: RATE_LIMIT_FRAMES }, (_, i) => i + 1));
      expect(client.isOpen).toBe(true);
    });

    it('echoes the refused request\'s id on RATE_LIMIT_EXCEEDED', async () => {
      const client = await adminClient();

      for (let i = 1; i <= RATE_LIMIT_FRAMES + 1; i++) client.send({ id: i, type: 'ping' });

      expect(await client.next(ofType('error'))).toMatchObject({ id: RATE_LIMIT_FRAMES + 1, data: { code: 'RATE_LIMIT_EXCEEDED' } });
    });

    it('answers a chat whose agent fails with INTERNAL_ERROR, naming the agent, and keeps the connection', async () => {
      const agent = await createAgent(t, { runtime: { provider: 'openai', baseUrl: DEAD_PROVIDER } });
      const client = await adminClient();

      const failed = await chat(client, 'are you there?', { targetAgent: agent.name });

      expect(failed).toEqual(errorFrame('INTERNAL_ERROR', failed.id));
      expect(failed.data.context).toMatchObject({ agentId: agent.id, agentError: 'PROVIDER_ERROR' });
      await client.barrier();
    });

    it('keeps a connection that sends a frame just under the size limit', async () => {
      const client = await adminClient();

      const pong = await client.call({ type: 'ping', data: { padding: 'x'.repeat(MAX_FRAME_BYTES - 1024) } });

      expect(pong.type).toBe('pong');
    });

    it('closes the connection with 1009 on a frame over 256 KB', async () => {
      const client = await adminClient();

      client.sendRaw(JSON.stringify({ type: 'ping', data: { padding: 'x'.repeat(MAX_FRAME_BYTES) } }));

      expect((await client.closed).code).toBe(1009);
    });
  });
});

describe('/ws heartbeat', () => {
  let t: TestApp;
  const ws = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp({ env: { WS_HEARTBEAT_SECONDS: '1' } });
  });

  afterAll(async () => {
    await ws.closeAll();
    await t.close();
  });

  it('drops a client that does not answer pings within ~3 s, and keeps one that does', async () => {
    const dead = await ws.connect({ token: ADMIN_TOKEN, autoPong: false });
    const alive = await ws.connect({ token: ADMIN_TOKEN });
    const started = performance.now();

    const dropped = await within(dead.closed, 3_500, 'the unresponsive client to be dropped');

    expect(performance.now() - started).toBeLessThan(3_000);
    expect(dropped.code).toBe(1006);
    expect(alive.isOpen).toBe(true);
    await alive.barrier();
  });
});
