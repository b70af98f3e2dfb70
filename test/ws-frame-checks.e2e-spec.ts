import { admin, createAgent, createApiKey, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { ChannelBody, channelHistory, createChannel } from './utils-realtime/rest';
import { WsPool } from './utils-ws/ws-client';

/**
 * Each /ws message type is checked against its DTO and its declared scopes before it runs: a
 * field of the wrong type is refused naming the field, a key without the type's scope is refused
 * naming the scope, and in both cases nothing happens.
 */
describe('/ws frames are checked against their message type', () => {
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

  describe('a field of the wrong type: INVALID_MESSAGE naming the field', () => {
    it.each<[string, (conversationId: string, agent: string) => Record<string, unknown>, string]>([
      ['chat with a numeric message', (conversationId) => ({ type: 'chat', data: { message: 42, conversationId } }), 'data.message'],
      ['chat with a numeric conversationId', () => ({ type: 'chat', data: { message: 'hi', conversationId: 7 } }), 'data.conversationId'],
      ['command with parameters that are a list', (_, agent) => ({ type: 'command', targetAgent: agent, data: { instruction: 'go', parameters: ['a'] } }), 'data.parameters'],
      ['subscribe to an event that does not exist', () => ({ type: 'subscribe', data: { events: ['agent_status', 'weather'] } }), 'data.events'],
      ['the thought stream with a text minImportance', () => ({ type: 'subscribe', data: { stream: 'thoughts', filter: { minImportance: 'high' } } }), 'data.filter.minImportance'],
      ['join_conversation with agents that are not names', (conversationId) => ({ type: 'join_conversation', data: { conversationId, agents: [1, 2] } }), 'data.agents'],
      ['agent_handoff to a numeric agent', (conversationId, agent) => ({ type: 'agent_handoff', data: { conversationId, fromAgent: agent, toAgent: 5 } }), 'data.toAgent'],
      ['a batch whose messages are not a list', () => ({ type: 'batch', data: { messages: 'ping' } }), 'data.messages'],
    ])('%s', async (_, frame, field) => {
      const agent = await createAgent(t);
      const channel = await createChannel(t, { agentIds: [agent.id] });
      const client = await ws.connect({ token: ADMIN_TOKEN });

      const refused = await client.call(frame(channel.id, agent.id));

      expect(refused).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE', message: expect.stringContaining(field), context: { fields: { [field]: expect.any(Array) } } } });
      expect(await channelHistory(t, channel.id)).toEqual([]);
      expect((await http(t).get(`/api/agents/${agent.id}/commands`).set(admin).expect(200)).body.total).toBe(0);
      expect(client.isOpen).toBe(true);
    });

    it('says which required field is missing, as the seed words it', async () => {
      const client = await ws.connect({ token: ADMIN_TOKEN });

      const refused = await client.call({ type: 'agent_handoff', data: { conversationId: 'c1', fromAgent: 'a' } });

      expect(refused.data).toEqual({ code: 'INVALID_MESSAGE', message: 'Message format is invalid', details: 'Missing required field: data.toAgent', context: { reason: 'Missing required field: data.toAgent' } });
    });
  });

  describe('a key without the scope the message type declares: UNAUTHORIZED naming the scope', () => {
    it.each<[string, string, (conversationId: string, agent: string, other: string) => Record<string, unknown>]>([
      ['command', 'agents:manage', (_, agent) => ({ type: 'command', targetAgent: agent, data: { instruction: 'shut down' } })],
      ['status', 'agents:read', (_, agent) => ({ type: 'status', targetAgent: agent })],
      ['subscribe', 'agents:read', () => ({ type: 'subscribe', data: { events: ['agent_status'] } })],
      ['agent_handoff', 'messaging:write', (conversationId, agent, other) => ({ type: 'agent_handoff', data: { conversationId, fromAgent: agent, toAgent: other } })],
    ])('%s needs %s', async (_, scope, frame) => {
      const [agent, other] = [await createAgent(t), await createAgent(t)];
      const key = await createApiKey(t, ['messaging:read']);
      const channel = await createChannel(t, { agentIds: [agent.id], users: [key.id] });
      const client = await ws.connect({ token: key.token });

      const refused = await client.call(frame(channel.id, agent.id, other.id));

      expect(refused).toMatchObject({ type: 'error', data: { code: 'UNAUTHORIZED', context: { requiredScopes: [scope] } } });
      const stored = (await http(t).get(`/api/channels/${channel.id}`).set(admin).expect(200)).body as ChannelBody;
      expect(stored.participants.filter((p) => p.kind === 'agent').map((p) => p.entityId)).toEqual([agent.id]);
      expect((await http(t).get(`/api/agents/${agent.id}/commands`).set(admin).expect(200)).body.total).toBe(0);
      expect(client.isOpen).toBe(true);
    });

    // The scope is checked before the frame: a key that may not send it learns nothing about its shape.
    it('refuses an under-scoped frame as UNAUTHORIZED even when it is also malformed', async () => {
      const client = await ws.connect({ token: (await createApiKey(t, ['messaging:read'])).token });

      const refused = await client.call({ type: 'command', data: { instruction: 42 } });

      expect(refused.data).toMatchObject({ code: 'UNAUTHORIZED', context: { requiredScopes: ['agents:manage'] } });
    });
  });
});
