import { randomUUID } from 'node:crypto';
import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import {
  AgentResponseBody,
  ChannelBody,
  ChannelMessageBody,
  channelHistory,
  channelMessagesPath,
  createChannel,
  MessagePageBody,
  postForEventStream,
  sessionMessagesPath,
} from './utils-realtime/rest';
import { ClientSocket, expectOk, SocketPool } from './utils-realtime/sockets';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the echo provider answers, in several chunks, with a thought and actions. */
const echoOf = (text: string) => ({ text: `You said: ${text}`, thought: `Echoing ${text.length} characters back`, actions: ['REPLY'] });

interface PostedBody {
  success: true;
  userMessage: ChannelMessageBody;
  agentResponse?: AgentResponseBody | null;
  agentError?: { code: string; message: string };
}

describe('Channels and their messages (REST)', () => {
  let t: TestApp;
  const sockets = SocketPool.for(() => t);

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(() => sockets.closeAll());

  afterAll(async () => {
    await t.close();
  });

  /** A group channel with one echo agent, and an admin socket in its room to see the agent's turns end. */
  const answeredChannel = async (): Promise<{ channel: ChannelBody; agentId: string; watcher: ClientSocket }> => {
    const agent = await createAgent(t);
    const channel = await createChannel(t, { agentIds: [agent.id], users: ['user-1'] });
    const watcher = await sockets.connect({ token: ADMIN_TOKEN });
    await expectOk(watcher.socket, 'join', { roomId: channel.id });
    return { channel, agentId: agent.id, watcher };
  };

  const post = (channelId: string, body: Record<string, unknown>) => http(t).post(channelMessagesPath(channelId)).set(admin).send(body);

  describe('POST /api/channels and GET /api/channels/:id', () => {
    it('creates a group channel (201) with its participants, and reads it back', async () => {
      const agent = await createAgent(t);

      const created = await http(t)
        .post('/api/channels')
        .set(admin)
        .send({ name: 'incident-42', participants: [{ entityId: 'user-7', kind: 'user' }, { entityId: agent.id, kind: 'agent' }], metadata: { team: 'ops' } })
        .expect(201);
      const read = await http(t).get(`/api/channels/${created.body.id}`).set(admin).expect(200);

      expect(created.body).toEqual({
        id: expect.stringMatching(UUID),
        name: 'incident-42',
        type: 'group',
        participants: expect.arrayContaining([{ entityId: 'user-7', kind: 'user' }, { entityId: agent.id, kind: 'agent' }]),
        metadata: { team: 'ops' },
        createdAt: new Date(t.clock.now()).toISOString(),
      });
      expect(created.body.participants).toHaveLength(2);
      expect(read.body).toEqual(created.body);
    });

    it('creates a channel with no participants and no name', async () => {
      const created = await http(t).post('/api/channels').set(admin).send({}).expect(201);

      expect(created.body).toMatchObject({ name: null, type: 'group', participants: [], metadata: {} });
    });

    it('refuses an agent participant that does not exist (404 AgentNotFoundError) and a bad participant kind (400)', async () => {
      const missingAgent = await http(t).post('/api/channels').set(admin).send({ participants: [{ entityId: randomUUID(), kind: 'agent' }] });
      const badKind = await http(t).post('/api/channels').set(admin).send({ participants: [{ entityId: 'x', kind: 'robot' }] });

      expect({ status: missingAgent.status, error: missingAgent.body.error }).toEqual({ status: 404, error: 'AgentNotFoundError' });
      expect(badKind.status).toBe(400);
    });

    it('answers 404 ChannelNotFoundError for an unknown channel and 400 InvalidUuidError for a malformed id', async () => {
      const unknown = await http(t).get(`/api/channels/${randomUUID()}`).set(admin);
      const malformed = await http(t).get('/api/channels/not-a-uuid').set(admin);

      expect({ status: unknown.status, error: unknown.body.error, code: unknown.body.code }).toEqual({ status: 404, error: 'ChannelNotFoundError', code: 'CHANNEL_NOT_FOUND' });
      expect({ status: malformed.status, error: malformed.body.error }).toEqual({ status: 400, error: 'InvalidUuidError' });
    });

    it('shows a session\'s own channel as type "session" with the user and the agent as participants', async () => {
      const session = await createSession(t, { userId: 'user-session-channel' });

      const channel = (await http(t).get(`/api/channels/${session.channelId}`).set(admin).expect(200)).body as ChannelBody;

      expect(channel).toMatchObject({ id: session.channelId, type: 'session', metadata: { sessionId: session.sessionId } });
      expect(channel.participants).toEqual(
        expect.arrayContaining([
          { entityId: 'user-session-channel', kind: 'user' },
          { entityId: session.agentId, kind: 'agent' },
        ]),
      );
    });
  });

  describe('who may read a channel', () => {
    const MESSAGING = ['messaging:read', 'messaging:write'];
    /** GET the channel, GET its messages, POST to it: the three statuses. */
    const useChannel = async (channelId: string, auth: Record<string, string>) => [
      (await http(t).get(`/api/channels/${channelId}`).set(auth)).status,
      (await http(t).get(channelMessagesPath(channelId)).set(auth)).status,
      (await http(t).post(channelMessagesPath(channelId)).set(auth).send({ text: 'mine?' })).status,
    ];

    it('lets a group channel be used by the key that created it and the keys among its participants; any other key gets 404', async () => {
      const [owner, member, stranger] = [await createApiKey(t, MESSAGING), await createApiKey(t, MESSAGING), await createApiKey(t, MESSAGING)];
      const channel = await createChannel(t, { users: [member.id], auth: bearer(owner.token) });

      const outcome = {
        owner: await useChannel(channel.id, bearer(owner.token)),
        member: await useChannel(channel.id, bearer(member.token)),
        stranger: await useChannel(channel.id, bearer(stranger.token)),
      };

      expect(outcome).toEqual({ owner: [200, 200, 201], member: [200, 200, 201], stranger: [404, 404, 404] });
      expect((await channelHistory(t, channel.id)).map((m) => m.authorId)).toEqual([owner.id, member.id]);
    });

    it('answers another key 404 exactly as for a channel that does not exist', async () => {
      const [owner, stranger] = [await createApiKey(t, MESSAGING), await createApiKey(t, MESSAGING)];
      const channel = await createChannel(t, { auth: bearer(owner.token) });

      const [someone, nobody] = [
        await http(t).get(`/api/channels/${channel.id}`).set(bearer(stranger.token)),
        await http(t).get(`/api/channels/${randomUUID()}`).set(bearer(stranger.token)),
      ];

      expect(someone.body).toEqual({ ...nobody.body, message: expect.any(String), details: { channelId: channel.id } });
      expect(someone.body.error).toBe('ChannelNotFoundError');
    });

    it('lets messaging:manage (and admin) use every group channel', async () => {
      const [owner, manager] = [await createApiKey(t, MESSAGING), await createApiKey(t, [...MESSAGING, 'messaging:manage'])];
      const channel = await createChannel(t, { auth: bearer(owner.token) });

      expect(await useChannel(channel.id, bearer(manager.token))).toEqual([200, 200, 201]);
      expect(await useChannel(channel.id, admin)).toEqual([200, 200, 201]);
    });

    it('keeps a session\'s channel to its session: 404 to unrelated keys, with no session id; its own key is sent to the session routes', async () => {
      const creator = await createApiKey(t, ['sessions:create', ...MESSAGING]);
      const stranger = await createApiKey(t, MESSAGING);
      const session = await createSession(t, {}, bearer(creator.token));

      const strangers = [
        await http(t).get(`/api/channels/${session.channelId}`).set(bearer(stranger.token)),
        await http(t).get(channelMessagesPath(session.channelId)).set(bearer(stranger.token)),
        await http(t).post(channelMessagesPath(session.channelId)).set(bearer(stranger.token)).send({ text: 'hi' }),
      ];
      const own = [
        await http(t).get(`/api/channels/${session.channelId}`).set(bearer(creator.token)),
        await http(t).post(channelMessagesPath(session.channelId)).set(bearer(creator.token)).send({ text: 'hi' }),
      ];

      expect(strangers.map((r) => r.status)).toEqual([404, 404, 404]);
      for (const response of strangers) expect(response.text).not.toContain(session.sessionId);
      expect(own.map((r) => [r.status, r.body.details])).toEqual([
        [403, { sessionId: session.sessionId }],
        [409, { sessionId: session.sessionId }],
      ]);
      expect(await channelHistory(t, session.channelId)).toEqual([]);
    });

    it('refuses a key speaking as another entity (another key, an agent) with 403 and stores nothing, as the sockets do; admin may', async () => {
      const [speaker, other] = [await createApiKey(t, MESSAGING), await createApiKey(t, MESSAGING)];
      const agent = await createAgent(t);
      const channel = await createChannel(t, { users: [other.id], agentIds: [agent.id], auth: bearer(speaker.token) });
      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200);

      const spoofs = [
        await http(t).post(channelMessagesPath(channel.id)).set(bearer(speaker.token)).send({ text: 'as the other key', entityId: other.id }),
        await http(t).post(channelMessagesPath(channel.id)).set(bearer(speaker.token)).send({ text: 'as the agent', entityId: agent.id }),
      ];
      await http(t).post(channelMessagesPath(channel.id)).set(bearer(speaker.token)).send({ text: 'as myself', entityId: speaker.id }).expect(201);
      await post(channel.id, { text: 'as admin, for user-9', entityId: 'user-9' }).expect(201);

      expect(spoofs.map((r) => [r.status, r.body.error])).toEqual([
        [403, 'ForbiddenError'],
        [403, 'ForbiddenError'],
      ]);
      expect((await channelHistory(t, channel.id)).map((m) => [m.authorId, m.text])).toEqual([
        [speaker.id, 'as myself'],
        ['user-9', 'as admin, for user-9'],
      ]);
    });

    it('refuses channel routes to a session token (403): it may use only its own session\'s routes', async () => {
      const session = await createSession(t);

      const response = await http(t).get(channelMessagesPath(session.channelId)).set(bearer(session.token));

      expect(response.status).toBe(403);
    });

    it('needs messaging:write to post to a channel (403 with messaging:read only)', async () => {
      const reader = bearer((await createApiKey(t, ['messaging:read'])).token);
      const channel = await createChannel(t);

      const response = await http(t).post(channelMessagesPath(channel.id)).set(reader).send({ text: 'hi', entityId: 'user-1' });

      expect(response.status).toBe(403);
      expect(await channelHistory(t, channel.id)).toEqual([]);
    });
  });

  describe('GET /api/messaging/channels/:channelId/messages', () => {
    /** A channel without agents holding `count` user messages m0…m(n-1), oldest first. */
    const quietChannelWith = async (count: number) => {
      const channel = await createChannel(t);
      const posted: ChannelMessageBody[] = [];
      for (let i = 0; i < count; i++) posted.push((await post(channel.id, { text: `m${i}`, entityId: 'user-1' }).expect(201)).body.userMessage);
      return { channel, posted };
    };

    const page = async (channelId: string, query: Record<string, number>) =>
      (await http(t).get(channelMessagesPath(channelId)).query(query).set(admin).expect(200)).body as MessagePageBody<ChannelMessageBody>;

    it('pages newest first with hasMore and epoch-ms cursors, like session history', async () => {
      const { channel, posted } = await quietChannelWith(5);

      const first = await page(channel.id, { limit: 2 });
      const second = await page(channel.id, { limit: 2, before: first.cursors.before! });
      const last = await page(channel.id, { limit: 2, before: second.cursors.before! });

      expect(first.messages.map((m) => m.text)).toEqual(['m4', 'm3']);
      expect(first).toMatchObject({ hasMore: true, cursors: { after: posted[4].timestamp, before: posted[3].timestamp } });
      expect(second.messages.map((m) => m.text)).toEqual(['m2', 'm1']);
      expect(second.hasMore).toBe(true);
      expect(last.messages.map((m) => m.text)).toEqual(['m0']);
      expect(last.hasMore).toBe(false);
    });

    it('reads forward from an `after` cursor, the oldest newer messages first', async () => {
      const { channel, posted } = await quietChannelWith(5);

      const newer = await page(channel.id, { limit: 2, after: posted[1].timestamp });

      expect(newer.messages.map((m) => m.text)).toEqual(['m3', 'm2']);
      expect(newer.hasMore).toBe(true);
    });

    it('defaults to 50 messages and returns every field of a stored user message', async () => {
      const { channel, posted } = await quietChannelWith(1);

      const only = await page(channel.id, {});

      expect(only).toEqual({ messages: [posted[0]], hasMore: false, cursors: { before: posted[0].timestamp, after: posted[0].timestamp } });
      expect(posted[0]).toEqual({
        id: expect.stringMatching(UUID),
        channelId: channel.id,
        text: 'm0',
        authorId: 'user-1',
        isAgent: false,
        createdAt: new Date(posted[0].timestamp).toISOString(),
        timestamp: expect.any(Number),
        metadata: {},
      });
    });

    it.each([
      ['limit 0', { limit: 0 }],
      ['limit 101', { limit: 101 }],
      ['a negative before', { before: -1 }],
      ['after not below before', { after: 10, before: 10 }],
    ])('refuses %s with 400 InvalidPaginationError', async (_, query) => {
      const channel = await createChannel(t);

      const response = await http(t).get(channelMessagesPath(channel.id)).query(query).set(admin);

      expect({ status: response.status, error: response.body.error }).toEqual({ status: 400, error: 'InvalidPaginationError' });
    });

    it('answers 404 for the messages of an unknown channel', async () => {
      const response = await http(t).get(channelMessagesPath(randomUUID())).set(admin);

      expect({ status: response.status, error: response.body.error }).toEqual({ status: 404, error: 'ChannelNotFoundError' });
    });
  });

  describe('POST /api/messaging/channels/:channelId/messages', () => {
    it('refuses a session\'s channel with 409: session messages go through the session, and nothing is stored', async () => {
      const session = await createSession(t);

      const response = await post(session.channelId, { text: 'sneaking in', entityId: 'user-1' });

      expect(response.status).toBe(409);
      expect(response.body).toEqual({ error: 'ConflictError', code: 'CONFLICT', message: expect.any(String), details: { sessionId: session.sessionId } });
      expect(await channelHistory(t, session.channelId)).toEqual([]);
    });

    it('answers 404 for an unknown channel', async () => {
      const response = await post(randomUUID(), { text: 'hello', entityId: 'user-1' });

      expect({ status: response.status, error: response.body.error }).toEqual({ status: 404, error: 'ChannelNotFoundError' });
    });

    it.each([
      ['no text', { entityId: 'user-1' }],
      ['blank text', { text: '   ', entityId: 'user-1' }],
      ['text over 10,000 characters', { text: 'x'.repeat(10_001), entityId: 'user-1' }],
      ['an empty entityId', { text: 'hello', entityId: '' }],
    ])('refuses %s with 400', async (_, body) => {
      const channel = await createChannel(t);

      const response = await post(channel.id, body);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.any(String), code: expect.any(String), message: expect.any(String), details: expect.any(Object) });
    });

    it('websocket mode (the default) answers at once; the agent\'s reply arrives as messageBroadcast and is stored with isAgent true', async () => {
      const { channel, agentId, watcher } = await answeredChannel();

      const response = await post(channel.id, { text: 'hello there', entityId: 'user-1' }).expect(201);
      const body = response.body as PostedBody;
      const [complete] = await watcher.log.waitFor('messageComplete', (e) => e.inReplyTo === body.userMessage.id);
      const reply = await watcher.log.next('messageBroadcast', (b) => b.isAgent);

      expect(body).toEqual({ success: true, userMessage: expect.objectContaining({ text: 'hello there', authorId: 'user-1', isAgent: false }) });
      expect(reply).toMatchObject({ id: complete.messageId, senderId: agentId, ...echoOf('hello there'), metadata: { inReplyTo: body.userMessage.id } });
      expect(await channelHistory(t, channel.id)).toEqual([
        body.userMessage,
        expect.objectContaining({ id: complete.messageId, authorId: agentId, isAgent: true, ...echoOf('hello there'), metadata: { inReplyTo: body.userMessage.id } }),
      ]);
    });

    it('answers `mode: "websocket"` the same way: no agentResponse in the body', async () => {
      const { channel, watcher } = await answeredChannel();

      const body = (await post(channel.id, { text: 'ws', entityId: 'user-1', mode: 'websocket' }).expect(201)).body as PostedBody;
      await watcher.log.next('messageComplete', (e) => e.inReplyTo === body.userMessage.id);

      expect(Object.keys(body).sort()).toEqual(['success', 'userMessage']);
    });

    it.each(['sync', 'http'])('mode "%s" waits for the reply and includes agentResponse {text, thought, actions}', async (mode) => {
      const { channel, agentId } = await answeredChannel();

      const body = (await post(channel.id, { text: `waiting in ${mode}`, entityId: 'user-1', mode }).expect(201)).body as PostedBody;
      const history = await channelHistory(t, channel.id);

      expect(body.agentResponse).toEqual({ messageId: expect.stringMatching(UUID), agentId, ...echoOf(`waiting in ${mode}`) });
      expect(body.agentError).toBeUndefined();
      expect(history.map((m) => [m.id, m.isAgent])).toEqual([
        [body.userMessage.id, false],
        [body.agentResponse!.messageId, true],
      ]);
    });

    it.each(['stream', 'sse'])('mode "%s" answers Server-Sent Events: user_message, chunk {messageId, chunk, index}…, done, then closes', async (mode) => {
      const { channel, agentId } = await answeredChannel();
      const expected = echoOf(`streaming in ${mode}`);

      const { status, contentType, cacheControl, events } = await postForEventStream(t, channelMessagesPath(channel.id), { text: `streaming in ${mode}`, entityId: 'user-1', mode });
      const chunks = events.filter((e) => e.event === 'chunk').map((e) => e.data);
      const done = events[events.length - 1];
      const history = await channelHistory(t, channel.id);

      expect(status).toBe(201);
      expect(contentType).toMatch(/^text\/event-stream/);
      expect(cacheControl).toBe('no-cache');
      expect(events.map((e) => e.event)).toEqual(['user_message', ...chunks.map(() => 'chunk'), 'done']);
      expect(events[0].data).toMatchObject({ id: history[0].id, text: `streaming in ${mode}`, isAgent: false });
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
      expect(new Set(chunks.map((c) => c.messageId))).toEqual(new Set([history[1].id]));
      expect(chunks.map((c) => c.chunk).join('')).toBe(expected.text);
      expect(done.data).toEqual({ messageId: history[1].id, agentId, ...expected });
      expect(history[1]).toMatchObject({ isAgent: true, ...expected });
    });

    it('takes `transport` as the newer name of `mode`, and `transport` wins when both are given', async () => {
      const { channel, watcher } = await answeredChannel();

      const transportOnly = (await post(channel.id, { text: 'a', entityId: 'user-1', transport: 'sync' }).expect(201)).body as PostedBody;
      const transportWins = (await post(channel.id, { text: 'b', entityId: 'user-1', mode: 'websocket', transport: 'http' }).expect(201)).body as PostedBody;
      const transportWinsBack = (await post(channel.id, { text: 'c', entityId: 'user-1', mode: 'sync', transport: 'websocket' }).expect(201)).body as PostedBody;
      await watcher.log.next('messageComplete', (e) => e.inReplyTo === transportWinsBack.userMessage.id);
      const streamed = await postForEventStream(t, channelMessagesPath(channel.id), { text: 'd', entityId: 'user-1', transport: 'sse' });

      expect(transportOnly.agentResponse?.text).toBe('You said: a');
      expect(transportWins.agentResponse?.text).toBe('You said: b');
      expect(transportWinsBack).not.toHaveProperty('agentResponse');
      expect(streamed.events.map((e) => e.event)).toContain('done');
    });

    it.each([
      ['mode', { mode: 'carrier-pigeon' }],
      ['transport', { transport: 'smoke-signals' }],
      ['transport (even with a valid mode)', { mode: 'sync', transport: 'telepathy' }],
    ])('refuses an unknown %s with 400 and stores nothing', async (_, modeFields) => {
      const channel = await createChannel(t);

      const response = await post(channel.id, { text: 'hello', entityId: 'user-1', ...modeFields });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'ValidationError', code: 'VALIDATION_ERROR' });
      expect(await channelHistory(t, channel.id)).toEqual([]);
    });

    it('stores a retried client messageId once and answers with the stored message', async () => {
      const channel = await createChannel(t);
      const messageId = randomUUID();

      const first = (await post(channel.id, { text: 'once', entityId: 'user-1', messageId }).expect(201)).body as PostedBody;
      const retry = (await post(channel.id, { text: 'once', entityId: 'user-1', messageId }).expect(201)).body as PostedBody;

      expect(retry.userMessage).toEqual(first.userMessage);
      expect(first.userMessage.messageId).toBe(messageId);
      expect(await channelHistory(t, channel.id)).toHaveLength(1);
    });

    it('answers a sync retry of a stored messageId with the same agentResponse, and the agent answers once', async () => {
      const { channel } = await answeredChannel();
      const messageId = randomUUID();

      const first = (await post(channel.id, { text: 'did you get this?', entityId: 'user-1', messageId, mode: 'sync' }).expect(201)).body as PostedBody;
      const retry = (await post(channel.id, { text: 'did you get this?', entityId: 'user-1', messageId, mode: 'sync' }).expect(201)).body as PostedBody;

      expect(first.agentResponse?.text).toBe('You said: did you get this?');
      expect(retry).toEqual(first);
      expect((await channelHistory(t, channel.id)).map((m) => m.isAgent)).toEqual([false, true]);
    });

    it('answers a stream retry of a stored messageId with user_message and the original reply as done', async () => {
      const { channel, agentId } = await answeredChannel();
      const messageId = randomUUID();
      const body = { text: 'streamed once', entityId: 'user-1', messageId, mode: 'stream' };

      await postForEventStream(t, channelMessagesPath(channel.id), body);
      const retry = await postForEventStream(t, channelMessagesPath(channel.id), body);
      const [question, reply] = await channelHistory(t, channel.id);

      expect(retry.events.map((e) => e.event)).toEqual(['user_message', 'done']);
      expect(retry.events[0].data).toMatchObject({ id: question.id, messageId });
      expect(retry.events[1].data).toEqual({ messageId: reply.id, agentId, ...echoOf('streamed once') });
    });

    it('has one agent answer the messages of a channel one at a time, in the order they were stored', async () => {
      const { channel, agentId, watcher } = await answeredChannel();
      const texts = ['first', 'second', 'third'];

      // All three are stored before the agent can have answered the first: the replies queue up.
      await Promise.all(texts.map((text) => post(channel.id, { text, entityId: 'user-1' }).expect(201)));
      await watcher.log.waitFor('messageComplete', () => true, { count: 3 });
      const history = await channelHistory(t, channel.id);
      const users = history.filter((m) => !m.isAgent);
      const replies = history.filter((m) => m.isAgent);

      expect(history).toHaveLength(6);
      expect(replies.map((r) => r.metadata.inReplyTo)).toEqual(users.map((u) => u.id));
      expect(replies.map((r) => r.text)).toEqual(users.map((u) => `You said: ${u.text}`));
      expect(replies.every((r) => r.authorId === agentId)).toBe(true);
      replies.forEach((reply, i) => expect(reply.timestamp).toBeGreaterThan(users[i].timestamp));
      expect(watcher.log.of('messageComplete').map((c) => c.inReplyTo)).toEqual(users.map((u) => u.id));
    });

    it('interleaves question and answer when each send waits for its reply (sync mode)', async () => {
      const { channel } = await answeredChannel();

      for (const text of ['one', 'two', 'three']) await post(channel.id, { text, entityId: 'user-1', mode: 'sync' }).expect(201);

      expect((await channelHistory(t, channel.id)).map((m) => m.text)).toEqual(['one', 'You said: one', 'two', 'You said: two', 'three', 'You said: three']);
    });

    it('lets every agent participant answer, each reply stored with isAgent true', async () => {
      const [first, second] = [await createAgent(t), await createAgent(t)];
      const channel = await createChannel(t, { agentIds: [first.id, second.id] });

      await post(channel.id, { text: 'both of you', entityId: 'user-1', mode: 'sync' }).expect(201);
      const replies = (await channelHistory(t, channel.id)).filter((m) => m.isAgent);

      expect(replies.map((r) => r.authorId).sort()).toEqual([first.id, second.id].sort());
      expect(replies.every((r) => r.text === 'You said: both of you')).toBe(true);
    });

    it('has an inactive agent stay silent: sync mode answers agentResponse null', async () => {
      const agent = await createAgent(t, { status: 'inactive' });
      const channel = await createChannel(t, { agentIds: [agent.id] });

      const body = (await post(channel.id, { text: 'anyone?', entityId: 'user-1', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(body.agentResponse).toBeNull();
      expect(await channelHistory(t, channel.id)).toHaveLength(1);
    });
  });

  describe('response modes on session sends (POST /api/messaging/sessions/:id/messages)', () => {
    interface SentBody {
      id: string;
      content: string;
      agentResponse?: AgentResponseBody | null;
    }

    const send = (sessionId: string, body: Record<string, unknown>) => http(t).post(sessionMessagesPath(sessionId)).set(admin).send(body);

    it.each([
      ['mode', 'sync'],
      ['mode', 'http'],
      ['transport', 'sync'],
      ['transport', 'http'],
    ])('%s "%s" includes the agent\'s reply as agentResponse', async (field, mode) => {
      const session = await createSession(t);

      const body = (await send(session.sessionId, { content: 'hi session', [field]: mode }).expect(201)).body as SentBody;

      expect(body).toMatchObject({ content: 'hi session', agentResponse: { agentId: session.agentId, ...echoOf('hi session') } });
    });

    it('websocket mode (and no mode) answers without agentResponse', async () => {
      const session = await createSession(t);

      const byDefault = (await send(session.sessionId, { content: 'a' }).expect(201)).body as SentBody;
      const explicit = (await send(session.sessionId, { content: 'b', transport: 'websocket', mode: 'sync' }).expect(201)).body as SentBody;

      expect(byDefault).not.toHaveProperty('agentResponse');
      expect(explicit).not.toHaveProperty('agentResponse');
    });

    it.each([
      ['mode', 'stream'],
      ['transport', 'sse'],
    ])('%s "%s" streams user_message, chunks and done', async (field, mode) => {
      const session = await createSession(t);

      const { status, contentType, cacheControl, events } = await postForEventStream(t, sessionMessagesPath(session.sessionId), { content: 'stream me', [field]: mode });

      expect(status).toBe(201);
      expect(contentType).toMatch(/^text\/event-stream/);
      expect(cacheControl).toBe('no-cache');
      expect(events[0]).toMatchObject({ event: 'user_message', data: { content: 'stream me', isAgent: false } });
      expect(events.filter((e) => e.event === 'chunk').map((e) => e.data.chunk).join('')).toBe('You said: stream me');
      expect(events[events.length - 1]).toMatchObject({ event: 'done', data: echoOf('stream me') });
    });

    it('refuses an unknown mode or transport with 400', async () => {
      const session = await createSession(t);

      const badMode = await send(session.sessionId, { content: 'x', mode: 'pigeon' });
      const badTransport = await send(session.sessionId, { content: 'x', transport: 'pigeon' });

      expect([badMode.status, badTransport.status]).toEqual([400, 400]);
    });
  });
});
