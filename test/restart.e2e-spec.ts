import { randomUUID } from 'node:crypto';
import { admin, bearer, createAgent, createSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const SESSIONS = '/api/messaging/sessions';

interface SessionBody {
  sessionId: string;
  expiresAt: string;
  renewalCount: number;
  [key: string]: unknown;
}

interface MessageBody {
  id: string;
  content: string;
  timestamp: number;
  messageId?: string;
  [key: string]: unknown;
}

interface MessagePageBody {
  messages: MessageBody[];
  hasMore: boolean;
  cursors: { before: number | null; after: number | null };
}

describe('a restart on the same database', () => {
  let t: TestApp;
  let agent: Record<string, unknown> & { id: string };
  let kept: SessionBody & { token: string };
  let shortLived: SessionBody;
  let keptBefore: SessionBody;
  let messagesBefore: MessageBody[];
  const retriedMessageId = randomUUID();

  const get = (path: string, auth = admin) => http(t).get(path).set(auth);
  const messagesOf = async (sessionId: string, query: Record<string, number> = {}) =>
    (await get(`${SESSIONS}/${sessionId}/messages`).query(query).expect(200)).body as MessagePageBody;

  beforeAll(async () => {
    const first = await createTestApp();
    t = first;
    agent = await createAgent(t, {
      settings: { timeoutConfig: { timeoutMinutes: 60, warningThresholdMinutes: 10 } },
      runtime: { provider: 'openai', model: 'local-model', baseUrl: 'http://127.0.0.1:9/v1' },
    });
    kept = (await createSession(t, { agentId: agent.id, userId: 'user-restart', metadata: { plan: 'pro', tags: ['a'] } })) as unknown as SessionBody & { token: string };
    // Deactivated after the session exists, so no agent reply joins the messages this suite compares.
    await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ status: 'inactive' }).expect(200);
    shortLived = (await createSession(t, { timeoutConfig: { timeoutMinutes: 10 } })) as unknown as SessionBody;

    t.clock.advanceMinutes(3);
    for (const content of ['first', 'second', 'third']) {
      await http(t).post(`${SESSIONS}/${kept.sessionId}/messages`).set(admin).send({ content }).expect(201);
    }
    t.clock.advanceMinutes(1);
    await http(t)
      .post(`${SESSIONS}/${kept.sessionId}/messages`)
      .set(admin)
      .send({ content: 'fourth', messageId: retriedMessageId, metadata: { client: 'web' }, attachments: [{ type: 'file', url: 'https://example.com/a.pdf' }] })
      .expect(201);
    t.clock.advanceMinutes(1);
    await http(t).post(`${SESSIONS}/${kept.sessionId}/renew`).set(admin).expect(200);

    keptBefore = (await get(`${SESSIONS}/${kept.sessionId}`).expect(200)).body as SessionBody;
    messagesBefore = (await messagesOf(kept.sessionId)).messages;
    expect(keptBefore.renewalCount).toBeGreaterThan(0);
    expect(messagesBefore).toHaveLength(4);

    await first.close({ keepDatabase: true });
    t = await createTestApp({ database: first.database, clock: first.clock });
  });

  afterAll(async () => {
    await t.close();
  });

  it('finds the session as it was: same expiresAt, renewalCount, timeout config and metadata', async () => {
    const after = (await get(`${SESSIONS}/${kept.sessionId}`).expect(200)).body as SessionBody;

    expect(after).toEqual(keptBefore);
  });

  it('finds the messages as they were: same order, ids, content, metadata and timestamps', async () => {
    const after = (await messagesOf(kept.sessionId)).messages;

    expect(after).toEqual(messagesBefore);
    expect(after.map((m) => m.content)).toEqual(['fourth', 'third', 'second', 'first']);
  });

  it('still pages through the history with cursors', async () => {
    const first = await messagesOf(kept.sessionId, { limit: 3 });
    const second = await messagesOf(kept.sessionId, { limit: 3, before: first.cursors.before! });

    expect([...first.messages, ...second.messages].map((m) => m.id)).toEqual(messagesBefore.map((m) => m.id));
    expect([first.hasMore, second.hasMore]).toEqual([true, false]);
  });

  it('finds the agent as it was', async () => {
    const after = (await get(`/api/agents/${agent.id}`).expect(200)).body as Record<string, unknown>;

    expect(after).toEqual({ ...agent, status: 'inactive', updatedAt: after.updatedAt });
    expect(after.settings).toEqual({ timeoutConfig: { timeoutMinutes: 60, warningThresholdMinutes: 10 } });
  });

  it('lists both sessions', async () => {
    const list = (await get(SESSIONS).query({ status: 'all', limit: 100 }).expect(200)).body as { sessions: SessionBody[]; total: number };

    expect(list.sessions.map((s) => s.sessionId).sort()).toEqual([kept.sessionId, shortLived.sessionId].sort());
  });

  it('still honours the session token issued before the restart', async () => {
    await get(`${SESSIONS}/${kept.sessionId}`, bearer(kept.token)).expect(200);
  });

  it('answers a retried messageId with the message stored before the restart', async () => {
    const stored = messagesBefore.find((m) => m.messageId === retriedMessageId)!;

    const retry = await http(t).post(`${SESSIONS}/${kept.sessionId}/messages`).set(admin).send({ content: 'fourth', messageId: retriedMessageId }).expect(201);

    expect((retry.body as MessageBody).id).toBe(stored.id);
    expect((await messagesOf(kept.sessionId)).messages).toHaveLength(4);
  });

  it('appends new messages after the old ones, even at the same instant as the last one', async () => {
    const sent = await http(t).post(`${SESSIONS}/${kept.sessionId}/messages`).set(admin).send({ content: 'after restart' }).expect(201);

    const after = (await messagesOf(kept.sessionId)).messages;
    expect(after.map((m) => m.id)).toEqual([(sent.body as MessageBody).id, ...messagesBefore.map((m) => m.id)]);
    expect(after[0].timestamp).toBeGreaterThan(messagesBefore[0].timestamp);
  });

  it('keeps counting expiry from the stored expiresAt', async () => {
    await get(`${SESSIONS}/${shortLived.sessionId}`).expect(200);
    t.clock.advanceMs(Date.parse(shortLived.expiresAt) - t.clock.now());

    const expired = await get(`${SESSIONS}/${shortLived.sessionId}`).expect(410);

    expect(expired.body).toMatchObject({ error: 'SessionExpiredError', details: { expiresAt: shortLived.expiresAt } });
    await get(`${SESSIONS}/${kept.sessionId}`).expect(200);
  });
});
