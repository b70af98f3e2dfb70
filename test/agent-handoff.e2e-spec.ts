import { DataSource } from 'typeorm';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { ChannelBody, channelHistory } from './utils-realtime/rest';
import { WsPool } from './utils-ws/ws-client';

/** Seed 003's agent_handoff as a domain operation: one atomic write, on SQLite and on PostgreSQL (TEST_DATABASE=postgres). */
describe('agent handoff', () => {
  let t: TestApp;
  const ws = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await ws.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  const agentsOf = async (channelId: string) =>
    ((await http(t).get(`/api/channels/${channelId}`).set(admin).expect(200)).body as ChannelBody).participants.filter((p) => p.kind === 'agent').map((p) => p.entityId);
  const sessionAgent = async (sessionId: string) => ((await http(t).get(`/api/messaging/sessions/${sessionId}`).set(admin).expect(200)).body as { agentId: string }).agentId;
  /** The handoffs recorded for the channel, oldest first. */
  const recorded = (channelId: string) =>
    t.app.get(DataSource).query('SELECT from_agent_id AS "from", to_agent_id AS "to", reason, handed_off_by AS "by" FROM agent_handoffs WHERE channel_id = $1 ORDER BY created_at'.replace('$1', t.app.get(DataSource).options.type === 'postgres' ? '$1' : '?'), [channelId]);
  /** Who answered each user message of the channel, in order. */
  const repliers = async (channelId: string) => (await channelHistory(t, channelId)).filter((m) => m.isAgent).map((m) => m.authorId);

  it('hands a session to the new agent: it answers the next message, the old one does not, and the session names it', async () => {
    const session = await createSession(t);
    const [from, to] = [session.agentId as string, (await createAgent(t)).id];
    const client = await ws.connect({ token: ADMIN_TOKEN });
    await client.call({ type: 'chat', data: { message: 'before', conversationId: session.sessionId } });

    const done = await client.call({ type: 'agent_handoff', data: { conversationId: session.sessionId, fromAgent: from, toAgent: to, reason: 'escalation' } });
    const after = await client.call({ type: 'chat', data: { message: 'after', conversationId: session.sessionId } });

    expect(done).toMatchObject({ type: 'handoff_complete', data: { conversationId: session.sessionId, fromAgent: from, toAgent: to, reason: 'escalation' } });
    expect(after.data).toMatchObject({ agentId: to, response: 'You said: after' });
    expect(await repliers(session.channelId)).toEqual([from, to]);
    expect(await agentsOf(session.channelId)).toEqual([to]);
    expect(await sessionAgent(session.sessionId)).toBe(to);
    expect(await recorded(session.channelId)).toEqual([{ from, to, reason: 'escalation', by: expect.any(String) }]);
  });

  it('refuses a handoff to an unknown agent with AGENT_NOT_FOUND and changes nothing', async () => {
    const session = await createSession(t);
    const from = session.agentId as string;
    const client = await ws.connect({ token: ADMIN_TOKEN });

    const refused = await client.call({ type: 'agent_handoff', data: { conversationId: session.sessionId, fromAgent: from, toAgent: 'nobody-by-this-name' } });
    const next = await client.call({ type: 'chat', data: { message: 'still you?', conversationId: session.sessionId } });

    expect(refused).toMatchObject({ type: 'error', data: { code: 'AGENT_NOT_FOUND', message: expect.any(String), details: expect.stringContaining('AgentNotFoundError'), context: { error: 'AgentNotFoundError' } } });
    expect(next.data).toMatchObject({ agentId: from });
    expect(await agentsOf(session.channelId)).toEqual([from]);
    expect(await sessionAgent(session.sessionId)).toBe(from);
    expect(await recorded(session.channelId)).toEqual([]);
  });

  it('lets only one of two handoffs away from the same agent happen: the other is refused and leaves no trace', async () => {
    const session = await createSession(t);
    const from = session.agentId as string;
    const [second, third] = [(await createAgent(t)).id, (await createAgent(t)).id];
    const [a, b] = [await ws.connect({ token: ADMIN_TOKEN }), await ws.connect({ token: ADMIN_TOKEN })];

    const ids = [a.request({ type: 'agent_handoff', data: { conversationId: session.sessionId, fromAgent: from, toAgent: second } }), b.request({ type: 'agent_handoff', data: { conversationId: session.sessionId, fromAgent: from, toAgent: third } })];
    const answers = [await a.next((f) => f.id === ids[0] && f.type !== 'agent_handoff'), await b.next((f) => f.id === ids[1] && f.type !== 'agent_handoff')];

    expect(answers.map((f) => f.type).sort()).toEqual(['error', 'handoff_complete']);
    const winner = answers.find((f) => f.type === 'handoff_complete')!.data.toAgent as string;
    expect(answers.find((f) => f.type === 'error')!.data.code).toBe('INVALID_MESSAGE');
    expect(await agentsOf(session.channelId)).toEqual([winner]);
    expect(await sessionAgent(session.sessionId)).toBe(winner);
    expect(await recorded(session.channelId)).toEqual([{ from, to: winner, reason: null, by: expect.any(String) }]);
    const next = await a.call({ type: 'chat', data: { message: 'who now?', conversationId: session.sessionId } });
    expect(next.data).toMatchObject({ agentId: winner });
  });
});
