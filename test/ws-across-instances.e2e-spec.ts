import { randomBytes } from 'node:crypto';
import { admin, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { FakeClock } from './utils/fake-clock';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { sessionMessagesPath } from './utils-realtime/rest';
import { expectOk, SocketPool } from './utils-realtime/sockets';
import { WsFrame, WsPool, WsTestClient } from './utils-ws/ws-client';

/** Events cross instances through Redis: a loaded machine may take a while, a correct one never loses them. */
const CROSS_MS = 10_000;

const isMessage = (text: string) => (frame: WsFrame) => frame.type === 'message' && frame.data.text === text;
const isTyping = (entityId: string, isTyping: boolean) => (frame: WsFrame) => frame.type === 'typing' && frame.data.entityId === entityId && frame.data.isTyping === isTyping;

/**
 * Two instances of the app on one PostgreSQL schema and one Redis prefix: a /ws client following a
 * conversation on one instance hears what happens in it on the other, as a Socket.IO client does.
 */
describe.skipIf(!onPostgres)('/ws clients across two instances', () => {
  const clock = new (class extends FakeClock {
    override now(): number {
      return Date.now();
    }
  })();
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const onA = new WsPool(() => a);
  const onB = new WsPool(() => b);
  const socketsOnB = SocketPool.for(() => b);

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-ws-peers-${process.pid}-${randomBytes(4).toString('hex')}` };
    a = await createTestApp({ database, clock, env });
    b = await createTestApp({ database, clock, env });
  });

  afterEach(async () => {
    socketsOnB.closeAll();
    await Promise.all([onA.closeAll(), onB.closeAll()]);
  });

  afterAll(async () => {
    await Promise.all([a, b].map((t) => t?.close({ keepDatabase: true })));
    await database?.drop();
  });

  const follow = async (client: WsTestClient, conversationId: string) => {
    expect((await client.call({ type: 'join_conversation', data: { conversationId } })).type).toBe('conversation_joined');
  };

  it('a REST send to the other instance reaches a follower here: the user message and the agent reply, exactly once each, then typing from there', async () => {
    const agent = await createAgent(a);
    const session = await createSession(a, { agentId: agent.id, userId: 'user-peers' });
    const follower = await onA.connect({ token: ADMIN_TOKEN });
    await follow(follower, session.sessionId);
    const typist = await onB.connect({ token: session.token });

    const sent = await http(b).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'sent to B' }).expect(201);
    const user = await follower.next(isMessage('sent to B'), CROSS_MS, 'the user message from B');
    const reply = await follower.next(isMessage('You said: sent to B'), CROSS_MS, 'the agent reply');
    // Typing from B comes after both on B's one Redis connection: once it is here, a duplicate would be too.
    typist.send({ type: 'typing_start', conversationId: session.sessionId });
    await follower.next(isTyping('user-peers', true), CROSS_MS, 'typing from B');

    expect(user.data).toMatchObject({ id: sent.body.id, roomId: session.sessionId, channelId: session.channelId, isAgent: false, source: 'api' });
    expect(reply.data).toMatchObject({ roomId: session.sessionId, isAgent: true, senderId: agent.id });
    expect(follower.all((f) => f.type === 'message').map((f) => f.data.text)).toEqual(['sent to B', 'You said: sent to B']);
    expect(follower.all((f) => f.type === 'typing')).toHaveLength(1);
  });

  it('a handoff and Socket.IO typing on the other instance reach a follower here, and not the connection that typed', async () => {
    const [from, to] = [await createAgent(a), await createAgent(a)];
    const session = await createSession(a, { agentId: from.id, userId: 'user-handoff' });
    const follower = await onA.connect({ token: ADMIN_TOKEN });
    await follow(follower, session.sessionId);
    const operator = await onB.connect({ token: ADMIN_TOKEN });
    await follow(operator, session.sessionId);
    const browser = await socketsOnB.connect({ token: session.token });
    await expectOk(browser.socket, 'join', { roomId: session.sessionId });

    await expectOk(browser.socket, 'typing', { roomId: session.sessionId, isTyping: true });
    await follower.next(isTyping('user-handoff', true), CROSS_MS, 'Socket.IO typing from B');
    const operatorId = operator.all((f) => f.type === 'connected')[0].data.entityId as string;
    operator.send({ type: 'typing_start', conversationId: session.sessionId });
    await follower.next(isTyping(operatorId, true), CROSS_MS, "the operator's typing");
    const done = await operator.call({ type: 'agent_handoff', data: { conversationId: session.sessionId, fromAgent: from.id, toAgent: to.id, reason: 'escalation' } });
    const handoff = await follower.next((f) => f.type === 'agent_handoff', CROSS_MS, 'the handoff from B');
    await operator.barrier();

    expect(done.type).toBe('handoff_complete');
    expect(handoff.data).toMatchObject({ conversationId: session.sessionId, channelId: session.channelId, fromAgent: from.id, toAgent: to.id, reason: 'escalation' });
    expect(follower.all((f) => f.type === 'typing')).toHaveLength(2);
    expect(follower.all((f) => f.type === 'agent_handoff')).toHaveLength(1);
    // The operator gets the handoff once (from its own instance) and never its own typing.
    expect(operator.all((f) => f.type === 'agent_handoff')).toHaveLength(1);
    expect(operator.all((f) => f.type === 'typing').map((f) => f.data.entityId)).toEqual(['user-handoff']);
  });

  it('revoking a key on the other instance closes its /ws connections here', async () => {
    const key = await createApiKey(a, ['messaging:read', 'messaging:write']);
    const client = await onA.connect({ token: key.token });

    await http(b).delete(`/api/auth/keys/${key.id}`).set(admin).expect(200);

    expect(await Promise.race([client.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), CROSS_MS))])).toMatchObject({ code: 4401 });
  });
});
