import { randomUUID } from 'node:crypto';
import { admin, createAgent, createApiKey, createSession, CreatedSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { ChannelMessageBody, channelHistory, channelMessagesPath, createChannel, MessagePageBody, sessionMessagesPath } from './utils-realtime/rest';
import { within } from './utils-realtime/deadline';
import { ClientSocket, emitAck, EVENT_TIMEOUT_MS, expectOk, MessageBroadcast, settle, SocketPool } from './utils-realtime/sockets';

const ROOM_JOINING = 1;
const SEND_MESSAGE = 2;
const THINKING = 5;
const CONTROL = 6;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface SessionMessageBody {
  id: string;
  content: string;
  authorId: string;
  isAgent: boolean;
  messageId?: string;
}

const errorAck = (error: string, code: string) => ({ ok: false, error, code, message: expect.any(String), details: expect.any(Object) });

describe('Socket.IO gateway (/socket.io/)', () => {
  let t: TestApp;
  const sockets = SocketPool.for(() => t);

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(() => sockets.closeAll());

  afterAll(async () => {
    await t.close();
  });

  const adminSocket = () => sockets.connect({ token: ADMIN_TOKEN });

  /** A session, a socket on its own session token, and the session's room joined. */
  const sessionClient = async (body: Record<string, unknown> = {}): Promise<{ session: CreatedSession; client: ClientSocket }> => {
    const session = await createSession(t, { userId: `user-${randomUUID().slice(0, 8)}`, ...body });
    const client = await sockets.connect({ token: session.token });
    await expectOk(client.socket, 'join', { roomId: session.sessionId });
    return { session, client };
  };

  const sessionHistory = async (sessionId: string) =>
    [...((await http(t).get(sessionMessagesPath(sessionId)).set(admin).expect(200)).body as MessagePageBody<SessionMessageBody>).messages].reverse();

  describe('handshake', () => {
    it('refuses a connection without a token: connect_error carries the 401 envelope', async () => {
      const refusal = await sockets.refusal({});

      expect(refusal.data).toEqual({ error: 'UnauthorizedError', code: 'UNAUTHORIZED', message: expect.any(String), details: expect.any(Object) });
    });

    it.each([
      ['an unknown API key', 'sb_key_not-a-real-key-0000000000000000000000'],
      ['an unknown session token', 'sb_sess_not-a-real-token-00000000000000000000'],
      ['garbage', 'hello'],
    ])('refuses %s with the 401 envelope', async (_, token) => {
      const refusal = await sockets.refusal({ token });

      expect(refusal.data).toMatchObject({ error: 'UnauthorizedError', code: 'UNAUTHORIZED' });
    });

    it('refuses the token of a deleted session', async () => {
      const session = await createSession(t);
      await http(t).delete(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200);

      const refusal = await sockets.refusal({ token: session.token });

      expect(refusal.data).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it.each([
      ['Authorization: Bearer', { Authorization: `Bearer ${ADMIN_TOKEN}` }],
      ['X-API-KEY', { 'X-API-KEY': ADMIN_TOKEN }],
    ])('authenticates with the %s header (extraHeaders) instead of auth.token', async (_, headers) => {
      const { established } = await sockets.connect({ headers });

      expect(established).toMatchObject({ entityId: 'admin', tokenKind: 'api-key' });
    });

    it('accepts auth.token with a "Bearer " prefix', async () => {
      const { established } = await sockets.connect({ token: `Bearer ${ADMIN_TOKEN}` });

      expect(established.entityId).toBe('admin');
    });

    it('does not take a token from the query string (it would end up in access logs)', async () => {
      const refusal = await sockets.refusal({ query: { token: ADMIN_TOKEN } });

      expect(refusal.data).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('sends connection_established naming the socket and who it speaks for: the session\'s user for a session token', async () => {
      const session = await createSession(t, { userId: 'user-established' });

      const { socket, established } = await sockets.connect({ token: session.token });

      expect(established).toEqual({ socketId: socket.id, entityId: 'user-established', tokenKind: 'session', recovered: false, serverId: expect.stringMatching(UUID), serverTime: expect.stringMatching(ISO) });
    });

    it('speaks for the key id with an API key', async () => {
      const key = await createApiKey(t, ['messaging:read']);

      const { established } = await sockets.connect({ token: key.token });

      expect(established).toMatchObject({ entityId: key.id, tokenKind: 'api-key' });
    });

    it('works over HTTP long-polling as well as WebSocket: join, send and receive', async () => {
      const channel = await createChannel(t);
      const polling = await sockets.connect({ token: ADMIN_TOKEN, transports: ['polling'] });

      await expectOk(polling.socket, 'join', { roomId: channel.id });
      const sent = await expectOk(polling.socket, 'message', { text: 'over polling', roomId: channel.id });
      const broadcast = await polling.log.next('messageBroadcast');

      expect(polling.socket.io.engine.transport.name).toBe('polling');
      expect(broadcast).toMatchObject({ id: sent.id, text: 'over polling', roomId: channel.id, channelId: channel.id });
    });
  });

  describe('both client styles', () => {
    it('speaks the typed envelope: ROOM_JOINING then SEND_MESSAGE, with the seed\'s payload fields', async () => {
      const channel = await createChannel(t);
      const client = await adminSocket();
      const messageId = randomUUID();

      const joined = await emitAck(client.socket, 'message', { type: ROOM_JOINING, payload: { roomId: channel.id, entityId: 'extension-user' } });
      const sent = await emitAck(client.socket, 'message', {
        type: SEND_MESSAGE,
        payload: {
          senderId: 'extension-user',
          senderName: 'Extension User',
          message: 'typed hello',
          roomId: channel.id,
          messageId,
          source: 'extension',
          attachments: [{ type: 'image', url: 'https://files.example.com/cat.png', name: 'cat.png' }],
          metadata: { tab: 3 },
        },
      });
      const broadcast = await client.log.next('messageBroadcast');

      expect(joined).toEqual({ ok: true, roomId: channel.id, channelId: channel.id, replayed: 0 });
      expect(sent).toEqual({ ok: true, roomId: channel.id, channelId: channel.id, id: expect.stringMatching(UUID), messageId: expect.stringMatching(UUID), createdAt: broadcast.createdAt, timestamp: broadcast.timestamp, duplicate: false });
      expect(broadcast).toMatchObject({
        id: sent.id,
        clientMessageId: messageId,
        senderId: 'extension-user',
        senderName: 'Extension User',
        text: 'typed hello',
        source: 'extension',
        attachments: [{ type: 'image', url: 'https://files.example.com/cat.png', name: 'cat.png' }],
        metadata: { tab: 3 },
      });
    });

    it('speaks the named events: join {roomId}, then message {text, roomId, userId, name}', async () => {
      const { session, client } = await sessionClient();

      const sent = await expectOk(client.socket, 'message', { text: 'named hello', roomId: session.sessionId, userId: session.userId, name: 'Ada' });
      const broadcast = await client.log.next('messageBroadcast', (b) => b.id === sent.id);

      expect(broadcast).toMatchObject({ text: 'named hello', senderId: session.userId, senderName: 'Ada', source: 'socketio', isAgent: false });
    });

    it('takes a session id or its channel id as the roomId of the same room; broadcasts name both', async () => {
      const session = await createSession(t);
      const bySession = await adminSocket();
      const byChannel = await adminSocket();

      const joinedBySession = await expectOk(bySession.socket, 'join', { roomId: session.sessionId });
      const joinedByChannel = await expectOk(byChannel.socket, 'message', { type: ROOM_JOINING, payload: { roomId: session.channelId } });
      await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'one room' }).expect(201);
      const [first, second] = await Promise.all([bySession.log.next('messageBroadcast'), byChannel.log.next('messageBroadcast')]);

      const room = { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId };
      expect(joinedBySession).toMatchObject(room);
      expect(joinedByChannel).toMatchObject(room);
      expect(first).toMatchObject({ ...room, text: 'one room' });
      expect(second).toEqual(first);
    });
  });

  describe('two clients in one room', () => {
    it('delivers the user\'s message and the agent\'s reply to both, exactly once each, with every field', async () => {
      const agent = await createAgent(t, { name: `Echo-${randomUUID().slice(0, 8)}` });
      const { session, client: user } = await sessionClient({ agentId: agent.id });
      const observer = await adminSocket();
      await expectOk(observer.socket, 'join', { roomId: session.channelId });

      const sent = await expectOk(user.socket, 'message', { text: 'hello both', roomId: session.sessionId, userId: session.userId, name: 'Ada' });
      await Promise.all([user, observer].map((c) => c.log.next('messageComplete')));
      await Promise.all([settle(user.socket), settle(observer.socket)]);

      const room = { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId };
      const userMessage: MessageBroadcast = {
        ...room,
        serverId: expect.stringMatching(UUID),
        id: sent.id as string,
        messageId: sent.id as string,
        clientMessageId: null,
        senderId: session.userId as string,
        senderName: 'Ada',
        text: 'hello both',
        isAgent: false,
        createdAt: expect.stringMatching(ISO),
        timestamp: expect.stringMatching(ISO),
        source: 'socketio',
        thought: null,
        actions: [],
        attachments: [],
        metadata: {},
      };
      const reply: MessageBroadcast = {
        ...room,
        serverId: expect.stringMatching(UUID),
        id: expect.stringMatching(UUID),
        messageId: expect.stringMatching(UUID),
        clientMessageId: null,
        senderId: agent.id,
        senderName: agent.name,
        text: 'You said: hello both',
        isAgent: true,
        createdAt: expect.stringMatching(ISO),
        timestamp: expect.stringMatching(ISO),
        source: 'agent',
        thought: 'Echoing 10 characters back',
        actions: ['REPLY'],
        attachments: [],
        metadata: { inReplyTo: sent.id },
      };
      for (const client of [user, observer]) {
        const broadcasts = client.log.of('messageBroadcast');
        expect(broadcasts).toEqual([userMessage, reply]);
        expect(broadcasts[1].id).toBe(broadcasts[1].messageId);
      }
      expect(observer.log.of('messageBroadcast')).toEqual(user.log.of('messageBroadcast'));
    });

    it('broadcasts a message sent over REST to the room\'s sockets', async () => {
      const { session, client } = await sessionClient();

      const sent = (await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'from REST' }).expect(201)).body as SessionMessageBody;
      const broadcast = await client.log.next('messageBroadcast', (b) => !b.isAgent);

      expect(broadcast).toMatchObject({ id: sent.id, text: 'from REST', senderId: session.userId, source: 'api', roomId: session.sessionId });
    });

    it('stores a message sent over the socket: REST history shows it, and the agent\'s reply', async () => {
      const { session, client } = await sessionClient();

      const sent = await expectOk(client.socket, 'message', { text: 'from the socket', roomId: session.sessionId });
      await client.log.next('messageComplete');

      expect(await sessionHistory(session.sessionId)).toEqual([
        expect.objectContaining({ id: sent.id, content: 'from the socket', authorId: session.userId, isAgent: false }),
        expect.objectContaining({ content: 'You said: from the socket', authorId: session.agentId, isAgent: true }),
      ]);
    });

    it('stores and broadcasts a client messageId once, whichever of socket and REST sends it', async () => {
      const { session, client } = await sessionClient();
      const socketFirst = randomUUID();
      const restFirst = randomUUID();

      const first = await expectOk(client.socket, 'message', { text: 'once', roomId: session.sessionId, messageId: socketFirst });
      const again = await expectOk(client.socket, 'message', { text: 'once', roomId: session.sessionId, messageId: socketFirst });
      const overRest = (await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'once', messageId: socketFirst }).expect(201)).body as SessionMessageBody;
      const restSent = (await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'twice', messageId: restFirst }).expect(201)).body as SessionMessageBody;
      const overSocket = await expectOk(client.socket, 'message', { text: 'twice', roomId: session.sessionId, messageId: restFirst });
      await client.log.waitFor('messageComplete', () => true, { count: 2 });
      await settle(client.socket);

      expect([again.id, overRest.id]).toEqual([first.id, first.id]);
      expect([first.duplicate, again.duplicate, overSocket.duplicate]).toEqual([false, true, true]);
      expect(overSocket.id).toBe(restSent.id);
      expect(client.log.of('messageBroadcast', (b) => !b.isAgent).map((b) => b.clientMessageId)).toEqual([socketFirst, restFirst]);
      expect(client.log.of('messageComplete')).toHaveLength(2);
      expect((await sessionHistory(session.sessionId)).map((m) => [m.content, m.isAgent])).toEqual([
        ['once', false],
        ['You said: once', true],
        ['twice', false],
        ['You said: twice', true],
      ]);
    });
    it('stores and broadcasts once when the same messageId is sent twice at the same time', async () => {
      const channel = await createChannel(t);
      const client = await adminSocket();
      await expectOk(client.socket, 'join', { roomId: channel.id });
      const messageId = randomUUID();

      const acks = await Promise.all([1, 2, 3].map(() => expectOk(client.socket, 'message', { text: 'racing', roomId: channel.id, messageId })));
      await settle(client.socket);

      expect(new Set(acks.map((ack) => ack.id)).size).toBe(1);
      expect(acks.map((ack) => ack.duplicate).sort()).toEqual([false, true, true]);
      expect(client.log.of('messageBroadcast')).toHaveLength(1);
      expect(await channelHistory(t, channel.id)).toHaveLength(1);
    });
  });

  describe('the agent\'s turn', () => {
    it('disables input, shows THINKING, broadcasts the reply, completes, then enables input — in that order', async () => {
      const { session, client } = await sessionClient();

      const sent = await expectOk(client.socket, 'message', { text: 'think about it', roomId: session.sessionId });
      await client.log.next('controlMessage', (c) => c.action === 'enable_input');
      await settle(client.socket);

      const room = { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId };
      const turn = client.log.received.filter((r) => r.event !== 'connection_established' && r.event !== 'world-state');
      expect(turn.map((r) => (r.event === 'message' ? `message:${(r.payload as { type: number }).type}` : r.event))).toEqual([
        'messageBroadcast',
        'controlMessage',
        `message:${CONTROL}`,
        `message:${THINKING}`,
        'messageBroadcast',
        'messageComplete',
        'controlMessage',
        `message:${CONTROL}`,
      ]);
      const reply = client.log.of('messageBroadcast')[1];
      expect(client.log.of('controlMessage')).toEqual([
        { ...room, action: 'disable_input', agentId: session.agentId },
        { ...room, action: 'enable_input', agentId: session.agentId },
      ]);
      expect(client.log.of('message')).toEqual([
        { type: CONTROL, payload: { ...room, action: 'disable_input', agentId: session.agentId } },
        { type: THINKING, payload: { ...room, agentId: session.agentId, inReplyTo: sent.id, thinking: true } },
        { type: CONTROL, payload: { ...room, action: 'enable_input', agentId: session.agentId } },
      ]);
      expect(client.log.of('messageComplete')).toEqual([
        { ...room, serverId: reply.serverId, agentId: session.agentId, inReplyTo: sent.id, messageId: reply.id, success: true },
      ]);
    });
  });

  describe('presence, typing and world state', () => {
    it('tells the other sockets of the room, and not the actor, about joins, typing and leaves', async () => {
      const key = await createApiKey(t, ['messaging:read']);
      const channel = await createChannel(t, { users: [key.id] });
      const first = await adminSocket();
      const second = await sockets.connect({ token: key.token });
      await expectOk(first.socket, 'join', { roomId: channel.id });

      await expectOk(second.socket, 'join', { roomId: channel.id });
      await expectOk(second.socket, 'typing', { roomId: channel.id, isTyping: true });
      await expectOk(second.socket, 'typing', { roomId: channel.id, isTyping: false });
      await expectOk(second.socket, 'leave', { roomId: channel.id });
      await first.log.next('userLeft');
      await settle(second.socket);

      const room = { roomId: channel.id, channelId: channel.id };
      expect(first.log.of('userJoined')).toEqual([{ ...room, entityId: key.id, userId: key.id, socketId: second.socket.id }]);
      expect(first.log.of('userTyping')).toEqual([
        { ...room, entityId: key.id, userId: key.id, isTyping: true },
        { ...room, entityId: key.id, userId: key.id, isTyping: false },
      ]);
      expect(first.log.of('userLeft')).toEqual([{ ...room, entityId: key.id, userId: key.id, socketId: second.socket.id }]);
      expect(second.log.names(channel.id)).toEqual([]);
    });

    it('tells the room userLeft when a member disconnects', async () => {
      const channel = await createChannel(t);
      const staying = await adminSocket();
      const going = await adminSocket();
      await expectOk(staying.socket, 'join', { roomId: channel.id });
      await expectOk(going.socket, 'join', { roomId: channel.id });
      const goingId = going.socket.id;

      going.socket.disconnect();
      const left = await staying.log.next('userLeft');

      expect(left).toEqual({ roomId: channel.id, channelId: channel.id, entityId: 'admin', userId: 'admin', socketId: goingId });
    });

    it('stops broadcasting a room to a socket that left it', async () => {
      const channel = await createChannel(t);
      const leaver = await adminSocket();
      const sender = await adminSocket();
      await expectOk(leaver.socket, 'join', { roomId: channel.id });

      await expectOk(leaver.socket, 'leave', { roomId: channel.id });
      await expectOk(sender.socket, 'message', { text: 'after you left', roomId: channel.id });
      await settle(leaver.socket);

      expect(leaver.log.of('messageBroadcast')).toEqual([]);
    });

    it('answers request-world-state with the socket\'s rooms and their participants, as an event and as the ack', async () => {
      const { session, client } = await sessionClient();

      const ack = await expectOk(client.socket, 'request-world-state', {});
      const event = await client.log.next('world-state');

      expect(event).toMatchObject({
        socketId: client.socket.id,
        entityId: session.userId,
        rooms: [
          {
            roomId: session.sessionId,
            channelId: session.channelId,
            sessionId: session.sessionId,
            participants: expect.arrayContaining([
              { entityId: session.userId, kind: 'user' },
              { entityId: session.agentId, kind: 'agent' },
            ]),
          },
        ],
        serverTime: expect.stringMatching(ISO),
      });
      expect(ack).toEqual({ ok: true, ...event });
    });
  });

  describe('session events', () => {
    it('sends sessionRenewed to the room on a manual renewal over REST', async () => {
      const { session, client } = await sessionClient();
      t.clock.advanceMinutes(10);

      const renewed = await http(t).post(`/api/messaging/sessions/${session.sessionId}/renew`).set(admin).expect(200);
      const event = await client.log.next('sessionRenewed');

      expect(event).toEqual({ sessionId: session.sessionId, expiresAt: renewed.body.expiresAt, renewalCount: 1 });
    });

    it('sends sessionRenewed on a heartbeat and on a message sent over the socket (auto-renewal)', async () => {
      const { session, client } = await sessionClient();

      t.clock.advanceMinutes(5);
      await http(t).post(`/api/messaging/sessions/${session.sessionId}/heartbeat`).set(admin).expect(200);
      t.clock.advanceMinutes(5);
      await expectOk(client.socket, 'message', { text: 'still here', roomId: session.sessionId });
      const events = await client.log.waitFor('sessionRenewed', () => true, { count: 2 });

      expect(events.map((e) => e.renewalCount)).toEqual([1, 2]);
      expect(Date.parse(events[1].expiresAt)).toBe(t.clock.now() + 30 * 60_000);
    });
  });

  describe('acks and malformed frames', () => {
    it('acks every client event that carries a callback with {ok: true, …}', async () => {
      const { session, client } = await sessionClient();
      const { socket } = client;

      const acks = [
        await emitAck(socket, 'join', { roomId: session.sessionId }),
        await emitAck(socket, 'message', { type: ROOM_JOINING, payload: { roomId: session.sessionId } }),
        await emitAck(socket, 'message', { text: 'named', roomId: session.sessionId }),
        await emitAck(socket, 'message', { type: SEND_MESSAGE, payload: { message: 'typed', roomId: session.sessionId } }),
        await emitAck(socket, 'typing', { roomId: session.sessionId }),
        await emitAck(socket, 'request-world-state', { roomId: session.sessionId }),
        await emitAck(socket, 'leave', { roomId: session.sessionId }),
      ];

      expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true, true, true]);
    });

    it.each<[string, string, unknown[], ReturnType<typeof errorAck>]>([
      ['a string as the message', 'message', ['hello'], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['a number as the message', 'message', [42], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['null as the message', 'message', [null], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['an array as the message', 'message', [[1, 2]], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['no payload at all to join', 'join', [], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['an unknown envelope type (9)', 'message', [{ type: 9, payload: {} }], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['a message type the protocol does not have', 'message', [{ type: 7, payload: {} }], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['THINKING without roomId', 'message', [{ type: THINKING, payload: {} }], errorAck('MissingFieldsError', 'MISSING_FIELDS')],
      ['a message without roomId', 'message', [{ text: 'where to?' }], errorAck('MissingFieldsError', 'MISSING_FIELDS')],
      ['a typed send without roomId', 'message', [{ type: SEND_MESSAGE, payload: { message: 'where to?' } }], errorAck('MissingFieldsError', 'MISSING_FIELDS')],
      ['a join without roomId', 'join', [{}], errorAck('MissingFieldsError', 'MISSING_FIELDS')],
      ['a roomId that is not a UUID', 'join', [{ roomId: 'lobby' }], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['text over 10,000 characters', 'message', ['TOO_LONG'], errorAck('InvalidContentError', 'INVALID_CONTENT')],
      ['blank text', 'message', ['BLANK'], errorAck('InvalidContentError', 'INVALID_CONTENT')],
      ['a leave from a room never joined', 'leave', [{ roomId: randomUUID() }], errorAck('ValidationError', 'VALIDATION_ERROR')],
      ['typing without roomId', 'typing', [{ isTyping: true }], errorAck('MissingFieldsError', 'MISSING_FIELDS')],
    ])('answers %s with an error ack, and the socket keeps working', async (_, event, args, expected) => {
      const channel = await createChannel(t);
      const client = await adminSocket();
      const payload = args.map((arg) =>
        arg === 'TOO_LONG' ? { text: 'x'.repeat(10_001), roomId: channel.id } : arg === 'BLANK' ? { text: '  \n ', roomId: channel.id } : arg,
      );

      const refused = await emitAck(client.socket, event, ...payload);
      await expectOk(client.socket, 'join', { roomId: channel.id });
      const sent = await expectOk(client.socket, 'message', { text: 'still usable', roomId: channel.id });

      expect(refused).toEqual(expected);
      expect(client.socket.connected).toBe(true);
      expect(await channelHistory(t, channel.id)).toEqual([expect.objectContaining({ id: sent.id, text: 'still usable' })]);
    });

    it('emits `error` with the envelope when a malformed frame has no ack callback, and the socket keeps working', async () => {
      const channel = await createChannel(t);
      const client = await adminSocket();

      client.socket.emit('message', 'not an object');
      client.socket.emit('message', { type: 9, payload: {} });
      const errors = await client.log.waitFor('error', () => true, { count: 2 });
      const joined = await emitAck(client.socket, 'join', { roomId: channel.id });

      expect(errors).toEqual([errorAck('ValidationError', 'VALIDATION_ERROR'), errorAck('ValidationError', 'VALIDATION_ERROR')]);
      expect(joined.ok).toBe(true);
    });

    it('acks an emit of an unknown event name with an error envelope', async () => {
      const client = await adminSocket();

      const ack = await emitAck(client.socket, 'no-such-event', {});

      expect(ack).toEqual(errorAck('ValidationError', 'VALIDATION_ERROR'));
    });
  });

  describe('room access', () => {
    it('lets a session token join its own session\'s room by session id or channel id; any other room does not exist for it', async () => {
      const mine = await createSession(t, { userId: 'user-mine' });
      const theirs = await createSession(t, { userId: 'user-theirs' });
      const group = await createChannel(t);
      const { socket } = await sockets.connect({ token: mine.token });

      const own = [await emitAck(socket, 'join', { roomId: mine.sessionId }), await emitAck(socket, 'join', { roomId: mine.channelId })];
      const refused = [
        await emitAck(socket, 'join', { roomId: theirs.sessionId }),
        await emitAck(socket, 'message', { type: ROOM_JOINING, payload: { roomId: theirs.channelId } }),
        await emitAck(socket, 'join', { roomId: group.id }),
        await emitAck(socket, 'message', { text: 'let me in', roomId: theirs.sessionId }),
      ];

      expect(own.map((ack) => ack.ok)).toEqual([true, true]);
      expect(refused.map((ack) => [ack.ok, ack.error])).toEqual([
        [false, 'SessionNotFoundError'],
        [false, 'SessionNotFoundError'],
        [false, 'ChannelNotFoundError'],
        [false, 'SessionNotFoundError'],
      ]);
      expect(await sessionHistory(theirs.sessionId)).toEqual([]);
    });

    it('lets an API key with messaging:read join and watch, but not send (403)', async () => {
      const key = await createApiKey(t, ['messaging:read']);
      const channel = await createChannel(t, { users: [key.id] });
      const reader = await sockets.connect({ token: key.token });

      const joined = await emitAck(reader.socket, 'join', { roomId: channel.id });
      const sentNamed = await emitAck(reader.socket, 'message', { text: 'may I?', roomId: channel.id });
      const sentTyped = await emitAck(reader.socket, 'message', { type: SEND_MESSAGE, payload: { message: 'may I?', roomId: channel.id } });
      await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'you may read', entityId: 'user-1' }).expect(201);
      const broadcast = await reader.log.next('messageBroadcast');

      expect(joined.ok).toBe(true);
      expect(sentNamed).toEqual(errorAck('ForbiddenError', 'FORBIDDEN'));
      expect(sentTyped).toEqual(errorAck('ForbiddenError', 'FORBIDDEN'));
      expect(broadcast.text).toBe('you may read');
      expect((await channelHistory(t, channel.id)).map((m) => m.text)).toEqual(['you may read']);
    });

    it('refuses to let an API key without messaging:read join a group channel, even with messaging:write it may send; sessions:* alone reaches no group channel', async () => {
      const [sessionsKey, writeKey] = [await createApiKey(t, ['sessions:read', 'sessions:write']), await createApiKey(t, ['messaging:write'])];
      const channel = await createChannel(t, { users: [sessionsKey.id, writeKey.id] });
      const sessionsOnly = await sockets.connect({ token: sessionsKey.token });
      const writeOnly = await sockets.connect({ token: writeKey.token });

      const refusedJoin = await emitAck(sessionsOnly.socket, 'join', { roomId: channel.id });
      const refusedSend = await emitAck(sessionsOnly.socket, 'message', { text: 'hi', roomId: channel.id });
      const writerJoin = await emitAck(writeOnly.socket, 'join', { roomId: channel.id });
      const writerSend = await emitAck(writeOnly.socket, 'message', { text: 'write only', roomId: channel.id });

      expect(refusedJoin).toEqual(errorAck('ChannelNotFoundError', 'CHANNEL_NOT_FOUND'));
      expect(refusedSend).toEqual(errorAck('ChannelNotFoundError', 'CHANNEL_NOT_FOUND'));
      expect(writerJoin).toEqual(errorAck('ForbiddenError', 'FORBIDDEN'));
      expect(writerSend.ok).toBe(true);
    });

    it('refuses a senderId/userId or entityId that is not the authenticated entity (403), unless the key is admin', async () => {
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const channel = await createChannel(t, { users: [key.id] });
      const keyed = await sockets.connect({ token: key.token });
      const { session, client: sessionUser } = await sessionClient();
      const adminClient = await adminSocket();

      const refused = [
        await emitAck(keyed.socket, 'message', { text: 'as someone else', roomId: channel.id, userId: 'someone-else' }),
        await emitAck(keyed.socket, 'message', { type: SEND_MESSAGE, payload: { message: 'as someone else', roomId: channel.id, senderId: 'someone-else' } }),
        await emitAck(keyed.socket, 'join', { roomId: channel.id, entityId: 'someone-else' }),
        await emitAck(sessionUser.socket, 'message', { text: 'as someone else', roomId: session.sessionId, userId: 'someone-else' }),
      ];
      const ownIdentity = await emitAck(keyed.socket, 'message', { text: 'as myself', roomId: channel.id, userId: key.id });
      const impersonated = await emitAck(adminClient.socket, 'message', { text: 'on behalf', roomId: channel.id, userId: 'bridged-user', name: 'Bridged' });

      refused.forEach((ack) => expect(ack).toEqual(errorAck('ForbiddenError', 'FORBIDDEN')));
      expect([ownIdentity.ok, impersonated.ok]).toEqual([true, true]);
      expect((await channelHistory(t, channel.id)).map((m) => [m.text, m.authorId])).toEqual([
        ['as myself', key.id],
        ['on behalf', 'bridged-user'],
      ]);
      expect(await sessionHistory(session.sessionId)).toEqual([]);
    });

    // Revocation is effective at once, for open sockets too.
    it('cuts off a revoked API key\'s open socket: it neither receives nor sends any more', async () => {
      const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
      const channel = await createChannel(t, { users: [key.id] });
      const revoked = await sockets.connect({ token: key.token });
      const observer = await adminSocket();
      await expectOk(revoked.socket, 'join', { roomId: channel.id });
      await expectOk(observer.socket, 'join', { roomId: channel.id });
      const cutOff = new Promise<string>((resolve) => revoked.socket.once('disconnect', resolve));

      await http(t).delete(`/api/auth/keys/${key.id}`).set(admin).expect(200);
      const reason = await within(cutOff, EVENT_TIMEOUT_MS, 'the revoked socket to be disconnected');
      await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'not for you', entityId: 'user-1' }).expect(201);
      await observer.log.next('messageBroadcast', (m) => m.text === 'not for you');
      const refusedAgain = new Promise<Error & { data?: unknown }>((resolve) => revoked.socket.once('connect_error', resolve));
      revoked.socket.connect();
      const refusal = await within(refusedAgain, EVENT_TIMEOUT_MS, 'the revoked token to be refused');

      expect(reason).toBe('io server disconnect');
      expect(refusal.data).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(revoked.socket.connected).toBe(false);
      expect(revoked.log.of('messageBroadcast', (m) => m.text === 'not for you')).toEqual([]);
      expect((await channelHistory(t, channel.id)).map((m) => m.text)).toEqual(['not for you']);
    });

    it('answers 404 for a room that is neither a session nor a channel', async () => {
      const client = await adminSocket();

      const joined = await emitAck(client.socket, 'join', { roomId: randomUUID() });

      expect(joined).toMatchObject({ ok: false, code: 'CHANNEL_NOT_FOUND' });
    });

    it('refuses to join or send into an expired session\'s room (410)', async () => {
      const session = await createSession(t, { timeoutConfig: { timeoutMinutes: 5, maxDurationMinutes: 5 } });
      const client = await sockets.connect({ token: session.token });
      t.clock.advanceMinutes(6);

      const joined = await emitAck(client.socket, 'join', { roomId: session.sessionId });
      const sent = await emitAck(client.socket, 'message', { text: 'too late', roomId: session.sessionId });

      expect(joined).toMatchObject({ ok: false, error: 'SessionExpiredError', code: 'SESSION_EXPIRED' });
      expect(sent).toMatchObject({ ok: false, code: 'SESSION_EXPIRED' });
    });
  });

  describe('reconnecting', () => {
    /** A quiet channel (no agent) with two admin sockets in it. */
    const roomOfTwo = async () => {
      const channel = await createChannel(t);
      const [a, b] = [await adminSocket(), await adminSocket()];
      await expectOk(a.socket, 'join', { roomId: channel.id });
      await expectOk(b.socket, 'join', { roomId: channel.id });
      return { channel, a, b };
    };

    const reconnect = async (client: ClientSocket) => {
      const before = client.log.of('connection_established').length;
      client.socket.connect();
      const [, established] = await client.log.waitFor('connection_established', () => true, { count: before + 1 });
      return established;
    };

    it('replays exactly what a client missed, in order, when it rejoins with the id of the last message it saw', async () => {
      const { channel, a, b } = await roomOfTwo();
      const seen = await expectOk(b.socket, 'message', { text: 'seen', roomId: channel.id });
      await a.log.next('messageBroadcast', (m) => m.id === seen.id);

      a.socket.disconnect();
      const missed = [];
      for (const text of ['missed 1', 'missed 2', 'missed 3']) missed.push(await expectOk(b.socket, 'message', { text, roomId: channel.id }));
      const established = await reconnect(a);
      const seenBefore = a.log.of('messageBroadcast').length;
      const joined = await expectOk(a.socket, 'join', { roomId: channel.id, lastMessageId: seen.id });
      await settle(a.socket);
      const replayed = a.log.of('messageBroadcast').slice(seenBefore);

      expect(established.recovered).toBe(false);
      expect(joined).toMatchObject({ roomId: channel.id, replayed: 3 });
      expect(replayed.map((m) => [m.id, m.text, m.replayed, m.channelId])).toEqual([
        [missed[0].id, 'missed 1', true, channel.id],
        [missed[1].id, 'missed 2', true, channel.id],
        [missed[2].id, 'missed 3', true, channel.id],
      ]);
    });

    it('replays from a timestamp too, and nothing when the client missed nothing', async () => {
      const channel = await createChannel(t);
      const sender = await adminSocket();
      for (const text of ['m1', 'm2']) await expectOk(sender.socket, 'message', { text, roomId: channel.id });
      const history: ChannelMessageBody[] = await channelHistory(t, channel.id);
      const late = await adminSocket();

      const fromTimestamp = await expectOk(late.socket, 'join', { roomId: channel.id, lastTimestamp: history[0].timestamp });
      const upToDate = await adminSocket();
      const nothing = await expectOk(upToDate.socket, 'join', { roomId: channel.id, lastMessageId: history[1].id });
      await Promise.all([settle(late.socket), settle(upToDate.socket)]);

      expect(fromTimestamp.replayed).toBe(1);
      expect(late.log.of('messageBroadcast').map((m) => m.text)).toEqual(['m2']);
      expect(nothing.replayed).toBe(0);
      expect(upToDate.log.of('messageBroadcast')).toEqual([]);
    });

    it('recovers the connection state after a dropped transport: same socket id, missed packets delivered without rejoining', async () => {
      const channel = await createChannel(t);
      const a = await sockets.connect({ token: ADMIN_TOKEN });
      const b = await adminSocket();
      await expectOk(a.socket, 'join', { roomId: channel.id });
      await expectOk(b.socket, 'join', { roomId: channel.id });
      const idBefore = a.socket.id;

      a.socket.io.engine.close();
      await b.log.next('userLeft');
      const missed = await expectOk(b.socket, 'message', { text: 'while you were away', roomId: channel.id });
      const established = await reconnect(a);
      const delivered = await a.log.next('messageBroadcast', (m) => m.id === missed.id);

      expect(established.recovered).toBe(true);
      expect(a.socket.id).toBe(idBefore);
      expect(delivered.text).toBe('while you were away');
    });

    it('delivers what was posted while the room stood empty to a socket that recovers within the window', async () => {
      const { channel, a, b } = await roomOfTwo();

      a.socket.io.engine.close();
      await b.log.next('userLeft');
      await expectOk(b.socket, 'leave', { roomId: channel.id });
      const posted = await http(t).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'nobody was listening', entityId: 'user-1' }).expect(201);
      const established = await reconnect(a);
      const delivered = await a.log.next('messageBroadcast', (m) => m.id === posted.body.userMessage.id);

      expect(established.recovered).toBe(true);
      expect(delivered.text).toBe('nobody was listening');
    });

    it('still knows a recovered socket\'s rooms: world-state lists them and leave succeeds', async () => {
      const channel = await createChannel(t);
      const a = await adminSocket();
      const b = await adminSocket();
      await expectOk(a.socket, 'join', { roomId: channel.id });
      await expectOk(b.socket, 'join', { roomId: channel.id });

      a.socket.io.engine.close();
      await b.log.next('userLeft');
      const established = await reconnect(a);
      const state = await expectOk(a.socket, 'request-world-state', {});
      const left = await emitAck(a.socket, 'leave', { roomId: channel.id });

      expect(established.recovered).toBe(true);
      expect(state.rooms).toEqual([expect.objectContaining({ roomId: channel.id })]);
      expect(left).toMatchObject({ ok: true, roomId: channel.id });
    });
  });

  describe('logEntry', () => {
    let logged: TestApp;
    const logSockets = SocketPool.for(() => logged);

    beforeAll(async () => {
      // Warnings are what an agent failure logs; the level must let them through.
      logged = await createTestApp({ env: { LOG_LEVEL: 'warn' } });
    });

    afterEach(() => logSockets.closeAll());

    afterAll(async () => {
      await logged.close();
    });

    it('sends the warning of a failed agent turn to admin sockets as logEntry in seed 001\'s shape (numeric level, time, msg, agentId, agentName), and to no other socket', async () => {
      const agent = await createAgent(logged, { runtime: { provider: 'openai', model: 'm', baseUrl: 'http://127.0.0.1:9/v1' } });
      const readerKey = await createApiKey(logged, ['messaging:read']);
      const channel = await createChannel(logged, { agentIds: [agent.id], users: [readerKey.id] });
      const adminKey = await createApiKey(logged, ['admin']);
      const reader = await logSockets.connect({ token: readerKey.token });
      const envAdmin = await logSockets.connect({ token: ADMIN_TOKEN });
      const keyAdmin = await logSockets.connect({ token: adminKey.token });
      await expectOk(reader.socket, 'join', { roomId: channel.id });

      await http(logged).post(channelMessagesPath(channel.id)).set(admin).send({ text: 'fail please', entityId: 'user-1', mode: 'sync' }).expect(201);
      const [fromEnv, fromKey] = await Promise.all([envAdmin.log.next('logEntry'), keyAdmin.log.next('logEntry')]);
      await settle(reader.socket);

      expect(fromEnv).toMatchObject({ level: 40, levelName: 'warn', msg: expect.stringContaining(agent.id), agentId: agent.id, agentName: agent.name, message: expect.stringContaining(agent.id), timestamp: expect.stringMatching(ISO) });
      expect(typeof fromEnv.time).toBe('number');
      expect(new Date(fromEnv.time).toISOString()).toBe(fromEnv.timestamp);
      expect(fromKey).toEqual(fromEnv);
      expect(reader.log.of('logEntry')).toEqual([]);
    });
  });
});
