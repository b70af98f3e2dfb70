import { randomUUID } from 'node:crypto';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

interface AgentBody {
  id: string;
  name: string;
  status: string;
  settings: { timeoutConfig?: Record<string, unknown> };
  runtime: { provider: string; model?: string; baseUrl?: string };
  createdAt: string;
  updatedAt: string;
}

interface AgentListBody {
  agents: AgentBody[];
  total: number;
  limit: number;
  offset: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Agents REST API (/api/agents)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const uniqueName = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

  describe('POST /api/agents', () => {
    it('creates an agent (201) with a UUID id, status active and the echo runtime by default', async () => {
      const name = uniqueName('support-bot');
      const response = await http(t).post('/api/agents').set(admin).send({ name }).expect(201);
      const body = response.body as AgentBody;

      expect(body.id).toMatch(UUID);
      expect(body.name).toBe(name);
      expect(body.status).toBe('active');
      expect(body.runtime).toEqual({ provider: 'echo' });
      expect(body.settings).toEqual({});
      expect(body.createdAt).toBe(new Date(t.clock.now()).toISOString());
      expect(body.updatedAt).toBe(body.createdAt);
    });

    it('stores the status, settings and runtime it is given', async () => {
      const body = {
        name: uniqueName('configured'),
        status: 'inactive',
        settings: { timeoutConfig: { timeoutMinutes: 45, warningThresholdMinutes: 10 } },
        runtime: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:8080/v1' },
      };
      const created = (await http(t).post('/api/agents').set(admin).send(body).expect(201)).body as AgentBody;
      const fetched = (await http(t).get(`/api/agents/${created.id}`).set(admin).expect(200)).body as AgentBody;

      expect(fetched).toMatchObject(body);
    });

    it('refuses a second agent with the same name: 409 ConflictError', async () => {
      const name = uniqueName('twin');
      await http(t).post('/api/agents').set(admin).send({ name }).expect(201);

      const response = await http(t).post('/api/agents').set(admin).send({ name }).expect(409);

      expect(response.body).toMatchObject({ error: 'ConflictError', code: 'CONFLICT', details: { name } });
    });

    it('rejects an unknown runtime.provider with 400', async () => {
      const response = await http(t)
        .post('/api/agents')
        .set(admin)
        .send({ name: uniqueName('bad-runtime'), runtime: { provider: 'skynet' } })
        .expect(400);

      expect(response.body).toMatchObject({ error: 'ValidationError', code: 'VALIDATION_ERROR' });
      expect(response.body.details.fields).toHaveProperty(['runtime.provider']);
    });

    it.each([
      ['timeoutMinutes below 5', { timeoutMinutes: 4 }],
      ['timeoutMinutes above 1440', { timeoutMinutes: 1441 }],
      ['maxDurationMinutes above 4320', { maxDurationMinutes: 4321 }],
      ['warningThresholdMinutes above 60', { warningThresholdMinutes: 61 }],
      ['maxDurationMinutes below timeoutMinutes', { timeoutMinutes: 60, maxDurationMinutes: 30 }],
      ['maxDurationMinutes below the global default timeout (30)', { maxDurationMinutes: 10 }],
    ])('rejects settings.timeoutConfig with %s: 400 InvalidTimeoutConfigError', async (_label, timeoutConfig) => {
      const name = uniqueName('bad-timeout');
      const response = await http(t).post('/api/agents').set(admin).send({ name, settings: { timeoutConfig } }).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError', code: 'INVALID_TIMEOUT_CONFIG' });
      const list = (await http(t).get('/api/agents?limit=100').set(admin).expect(200)).body as AgentListBody;
      expect(list.agents.map((agent) => agent.name)).not.toContain(name);
    });
  });

  describe('GET /api/agents', () => {
    it('lists agents oldest first with total, limit and offset', async () => {
      const listed = await http(t).get('/api/agents').set(admin).expect(200);
      const before = listed.body as AgentListBody;
      expect(before).toMatchObject({ limit: 50, offset: 0 });

      const names = [uniqueName('page-a'), uniqueName('page-b'), uniqueName('page-c')];
      for (const name of names) {
        t.clock.advanceMs(1);
        await createAgent(t, { name });
      }

      const page = (await http(t).get(`/api/agents?limit=2&offset=${before.total + 1}`).set(admin).expect(200)).body as AgentListBody;

      expect(page.total).toBe(before.total + 3);
      expect(page.limit).toBe(2);
      expect(page.offset).toBe(before.total + 1);
      expect(page.agents.map((agent) => agent.name)).toEqual(names.slice(1));
    });

    it('rejects limit above 100 with 400 InvalidPaginationError', async () => {
      const response = await http(t).get('/api/agents?limit=101').set(admin).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidPaginationError', code: 'INVALID_PAGINATION' });
    });
  });

  describe('GET /api/agents/:agentId', () => {
    it('returns the agent', async () => {
      const agent = await createAgent(t);

      const response = await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(200);

      expect(response.body).toEqual(agent);
    });

    it('answers the same with a trailing slash', async () => {
      const agent = await createAgent(t);

      const response = await http(t).get(`/api/agents/${agent.id}/`).set(admin).expect(200);

      expect(response.body).toEqual(agent);
    });

    it('answers 404 AgentNotFoundError for an unknown id', async () => {
      const agentId = randomUUID();

      const response = await http(t).get(`/api/agents/${agentId}`).set(admin).expect(404);

      expect(response.body).toMatchObject({ error: 'AgentNotFoundError', code: 'AGENT_NOT_FOUND', details: { agentId } });
    });

    it.each(['get', 'patch', 'delete'] as const)('answers 400 InvalidUuidError to %s with a non-UUID id', async (method) => {
      const response = await http(t)[method]('/api/agents/not-a-uuid').set(admin).send({}).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidUuidError', code: 'INVALID_UUID', details: { agentId: 'not-a-uuid' } });
    });
  });

  describe('PATCH /api/agents/:agentId', () => {
    it('updates name, status, settings and runtime, and bumps updatedAt', async () => {
      const agent = await createAgent(t);
      t.clock.advanceMinutes(1);
      const patch = {
        name: uniqueName('renamed'),
        status: 'inactive',
        settings: { timeoutConfig: { timeoutMinutes: 90, autoRenew: false } },
        runtime: { provider: 'openai', model: 'local-model' },
      };

      const updated = (await http(t).patch(`/api/agents/${agent.id}`).set(admin).send(patch).expect(200)).body as AgentBody;

      expect(updated).toMatchObject({ id: agent.id, ...patch, createdAt: agent.createdAt });
      expect(updated.updatedAt).toBe(new Date(t.clock.now()).toISOString());
      const fetched = (await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(200)).body as AgentBody;
      expect(fetched).toEqual(updated);
    });

    it('leaves the fields it is not given as they were', async () => {
      const agent = await createAgent(t, { settings: { timeoutConfig: { timeoutMinutes: 15 } } });

      const updated = (await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200)).body as AgentBody;

      expect(updated).toMatchObject({ name: agent.name, status: 'inactive', settings: { timeoutConfig: { timeoutMinutes: 15 } }, runtime: { provider: 'echo' } });
    });

    it('refuses a name another agent has: 409 ConflictError, and changes nothing', async () => {
      const first = await createAgent(t);
      const second = await createAgent(t);

      const response = await http(t).patch(`/api/agents/${second.id}`).set(admin).send({ name: first.name }).expect(409);

      expect(response.body).toMatchObject({ error: 'ConflictError', code: 'CONFLICT' });
      const fetched = (await http(t).get(`/api/agents/${second.id}`).set(admin).expect(200)).body as AgentBody;
      expect(fetched.name).toBe(second.name);
    });

    it('rejects an unknown runtime.provider with 400', async () => {
      const agent = await createAgent(t);

      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ runtime: { provider: 'nope' } }).expect(400);

      const fetched = (await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(200)).body as AgentBody;
      expect(fetched.runtime).toEqual({ provider: 'echo' });
    });

    it('rejects settings.timeoutConfig out of bounds with 400 InvalidTimeoutConfigError', async () => {
      const agent = await createAgent(t);

      const response = await http(t)
        .patch(`/api/agents/${agent.id}`)
        .set(admin)
        .send({ settings: { timeoutConfig: { warningThresholdMinutes: 0 } } })
        .expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError', code: 'INVALID_TIMEOUT_CONFIG' });
    });

    it('answers 404 AgentNotFoundError for an unknown id', async () => {
      const response = await http(t).patch(`/api/agents/${randomUUID()}`).set(admin).send({ status: 'inactive' }).expect(404);

      expect(response.body).toMatchObject({ error: 'AgentNotFoundError' });
    });
  });

  describe('DELETE /api/agents/:agentId', () => {
    it('deletes the agent (200), after which it is 404 AgentNotFoundError', async () => {
      const agent = await createAgent(t);

      const response = await http(t).delete(`/api/agents/${agent.id}`).set(admin).expect(200);

      expect(response.body).toEqual({ success: true, message: `Agent ${agent.id} deleted successfully` });
      const gone = await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(404);
      expect(gone.body).toMatchObject({ error: 'AgentNotFoundError', code: 'AGENT_NOT_FOUND' });
      const again = await http(t).delete(`/api/agents/${agent.id}`).set(admin).expect(404);
      expect(again.body).toMatchObject({ error: 'AgentNotFoundError' });
    });

    it('refuses to delete an agent that still has a session: 409 ConflictError, agent kept', async () => {
      const agent = await createAgent(t);
      await createSession(t, { agentId: agent.id });

      const refused = await http(t).delete(`/api/agents/${agent.id}`).set(admin);

      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'ConflictError', code: 'CONFLICT', details: { agentId: agent.id } });
      await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(200);
    });

    it('deletes an agent once its last session has ended', async () => {
      const agent = await createAgent(t);
      const session = await createSession(t, { agentId: agent.id });
      await http(t).delete(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200);

      await http(t).delete(`/api/agents/${agent.id}`).set(admin).expect(200);

      await http(t).get(`/api/agents/${agent.id}`).set(admin).expect(404);
    });
  });

  describe('agent status and sessions', () => {
    it('an inactive agent takes no new sessions (409); reactivated, it does', async () => {
      const agent = await createAgent(t, { status: 'inactive' });

      const refused = await http(t).post('/api/messaging/sessions').set(admin).send({ agentId: agent.id, userId: 'user-1' }).expect(409);
      expect(refused.body).toMatchObject({ error: 'ConflictError', details: { agentId: agent.id, status: 'inactive' } });

      await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'active' }).expect(200);
      await http(t).post('/api/messaging/sessions').set(admin).send({ agentId: agent.id, userId: 'user-1' }).expect(201);
    });
  });
});
