import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { ChannelBody, channelHistory, MessagePageBody, sessionMessagesPath } from './utils-realtime/rest';
import { expectOk, settle, SocketPool } from './utils-realtime/sockets';
import { ofType, WsFrame, WsPool } from './utils-ws/ws-client';

interface SessionMessageBody {
  id: string;
  content: string;
  authorId: string;
  isAgent: boolean;
}

const isMessage = (text: string) => (frame: WsFrame) => frame.type === 'message' && frame.data.text === text;

describe('One conversation seen at once from /ws, Socket.IO and REST', () => {
  let t: TestApp;
  const ws = new WsPool(() => t);
  const sockets = SocketPool.for(() => t);

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

  it('a key with only the frontend scopes (sessions:create, read, write) uses its own sessions on every transport, and no one else\'s', async () => {
    const frontend = await createApiKey(t, ['sessions:create', 'sessions:read', 'sessions:write']);
    const [own, others] = [await createSession(t, { userId: 'front-user' }, bearer(frontend.token)), await createSession(t, { userId: 'someone' })];
    const io = await sockets.connect({ token: frontend.token });
    const client = await ws.connect({ token: frontend.token });

    await expectOk(io.socket, 'join', { roomId: own.sessionId });
    await expectOk(io.socket, 'message', { text: 'from Socket.IO', roomId: own.sessionId });
    const answer = await client.call({ type: 'chat', data: { message: 'from /ws', conversationId: own.sessionId } });
    const joined = await client.call({ type: 'join_conversation', data: { conversationId: own.sessionId } });
    const refusedJoin = await io.socket.timeout(5_000).emitWithAck('join', { roomId: others.sessionId });
    const refusedChat = await client.call({ type: 'chat', data: { message: 'not mine', conversationId: others.sessionId } });
    const history = (await http(t).get(sessionMessagesPath(own.sessionId)).set(admin).expect(200)).body as MessagePageBody<SessionMessageBody>;

    expect(answer).toMatchObject({ type: 'chat_response', data: { conversationId: own.sessionId, response: 'You said: from /ws' } });
    expect(joined.type).toBe('conversation_joined');
    expect(history.messages.filter((m) => !m.isAgent).map((m) => m.content)).toEqual(['from /ws', 'from Socket.IO']);
    expect(refusedJoin).toMatchObject({ ok: false, error: 'SessionNotFoundError' });
    expect(refusedChat).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE', details: expect.stringContaining('SessionNotFoundError') } });
    await http(t).delete(`/api/messaging/sessions/${own.sessionId}`).set(bearer(frontend.token)).expect(200);
    await http(t).get(`/api/messaging/sessions/${own.sessionId}`).set(admin).expect(404);
  });

  it('a session: /ws chats into it, Socket.IO sees every message, a REST send reaches /ws, and REST stores each message once, in order', async () => {
    const session = await createSession(t, { userId: 'cross-user' });
    const io = await sockets.connect({ token: ADMIN_TOKEN });
    await expectOk(io.socket, 'join', { roomId: session.sessionId });
    const client = await ws.connect({ token: session.token });

    const answer = await client.call({ type: 'chat', data: { message: 'hello from /ws' } });
    const [userBroadcast, replyBroadcast] = await io.log.waitFor('messageBroadcast', undefined, { count: 2 });
    await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'hello from REST' }).expect(201);
    const restUser = await client.next(isMessage('hello from REST'));
    const restReply = await client.next(isMessage('You said: hello from REST'));
    await io.log.waitFor('messageBroadcast', undefined, { count: 4 });
    await settle(io.socket);

    expect(answer.data).toMatchObject({ conversationId: session.sessionId, agentId: session.agentId, response: 'You said: hello from /ws' });
    expect([userBroadcast, replyBroadcast]).toEqual([
      expect.objectContaining({ roomId: session.sessionId, sessionId: session.sessionId, channelId: session.channelId, text: 'hello from /ws', senderId: 'cross-user', isAgent: false, source: 'ws' }),
      expect.objectContaining({ roomId: session.sessionId, text: 'You said: hello from /ws', senderId: session.agentId, isAgent: true }),
    ]);
    expect([userBroadcast.id, replyBroadcast.id]).toEqual([answer.data.userMessageId, answer.data.messageId]);
    expect(restUser.data).toMatchObject({ roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId, isAgent: false, source: 'api' });
    expect(restReply.data).toMatchObject({ roomId: session.sessionId, isAgent: true, senderId: session.agentId });

    const history = [...((await http(t).get(sessionMessagesPath(session.sessionId)).set(admin).expect(200)).body as MessagePageBody<SessionMessageBody>).messages].reverse();
    expect(history.map((m) => [m.isAgent, m.content])).toEqual([
      [false, 'hello from /ws'],
      [true, 'You said: hello from /ws'],
      [false, 'hello from REST'],
      [true, 'You said: hello from REST'],
    ]);
    const broadcastIds = io.log.of('messageBroadcast').map((b) => b.id);
    const wsIds = client.all(ofType('message')).map((f) => f.data.id);
    expect(broadcastIds).toEqual(history.map((m) => m.id));
    expect(wsIds).toEqual(history.map((m) => m.id));
    expect(new Set(history.map((m) => m.id)).size).toBe(4);
  });

  it('a conversation /ws opened by targetAgent: readable over REST, joinable over Socket.IO, and both sides see each other\'s messages', async () => {
    const agent = await createAgent(t);
    const key = await createApiKey(t, ['messaging:read', 'messaging:write']);
    const client = await ws.connect({ token: key.token });

    const opening = await client.call({ type: 'chat', targetAgent: agent.name, data: { message: 'opened on /ws' } });
    const conversationId = opening.data.conversationId as string;
    const channel = (await http(t).get(`/api/channels/${conversationId}`).set({ Authorization: `Bearer ${key.token}` }).expect(200)).body as ChannelBody;
    const io = await sockets.connect({ token: key.token });
    const joined = await expectOk(io.socket, 'join', { roomId: conversationId });
    await expectOk(io.socket, 'message', { roomId: conversationId, text: 'sent over Socket.IO' });
    const fromIo = await client.next(isMessage('sent over Socket.IO'));
    const replyToIo = await client.next(isMessage('You said: sent over Socket.IO'));
    const next = await client.call({ type: 'chat', data: { message: 'back on /ws', conversationId } });
    await io.log.waitFor('messageBroadcast', (b) => b.text === 'You said: back on /ws');

    expect(channel).toMatchObject({ id: conversationId, type: 'group' });
    expect(channel.participants).toEqual(expect.arrayContaining([{ entityId: key.id, kind: 'user' }, { entityId: agent.id, kind: 'agent' }]));
    expect(joined).toMatchObject({ roomId: conversationId, channelId: conversationId, replayed: 0 });
    expect(fromIo.data).toMatchObject({ roomId: conversationId, senderId: key.id, source: 'socketio', isAgent: false });
    expect(replyToIo.data).toMatchObject({ senderId: agent.id, isAgent: true });
    expect(next.data).toMatchObject({ conversationId, agentId: agent.id });
    expect(io.log.of('messageBroadcast').map((b) => b.text)).toEqual(['sent over Socket.IO', 'You said: sent over Socket.IO', 'back on /ws', 'You said: back on /ws']);
    expect((await channelHistory(t, conversationId)).map((m) => m.text)).toEqual([
      'opened on /ws',
      'You said: opened on /ws',
      'sent over Socket.IO',
      'You said: sent over Socket.IO',
      'back on /ws',
      'You said: back on /ws',
    ]);
  });

  it('typing over Socket.IO reaches /ws members as `typing`, and /ws typing reaches Socket.IO as userTyping', async () => {
    const session = await createSession(t, { userId: 'ws-typist' });
    const io = await sockets.connect({ token: ADMIN_TOKEN });
    await expectOk(io.socket, 'join', { roomId: session.sessionId });
    const client = await ws.connect({ token: session.token });
    await client.call({ type: 'join_conversation', data: { conversationId: session.sessionId } });

    await expectOk(io.socket, 'typing', { roomId: session.sessionId, isTyping: true });
    const seenOnWs = await client.next(ofType('typing'));
    client.send({ type: 'typing_stop', conversationId: session.sessionId });
    const seenOnIo = await io.log.next('userTyping');

    expect(seenOnWs.data).toEqual({ conversationId: session.sessionId, channelId: session.channelId, entityId: 'admin', userId: 'admin', isTyping: true });
    expect(seenOnIo).toEqual({ roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId, entityId: 'ws-typist', userId: 'ws-typist', isTyping: false });
  });
});
