import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { admin, bearer, createAgent, createSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const MINUTE = 60_000;
const SESSIONS = '/api/messaging/sessions';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const iso = (epochMs: number) => new Date(epochMs).toISOString();
const ms = (isoTime: string) => Date.parse(isoTime);

interface TimeoutConfigBody {
  timeoutMinutes: number;
  autoRenew: boolean;
  maxDurationMinutes: number;
  warningThresholdMinutes: number;
}

interface SessionSummaryBody {
  sessionId: string;
  agentId: string;
  userId: string;
  channelId: string;
  status: 'active' | 'expired';
  createdAt: string;
  lastActivity: string;
  expiresAt: string;
  timeRemaining: number;
  isNearExpiration: boolean;
  renewalCount: number;
}

interface SessionBody extends SessionSummaryBody {
  timeoutConfig: TimeoutConfigBody;
  metadata: Record<string, unknown>;
  token?: string;
}

interface SessionListBody {
  sessions: SessionSummaryBody[];
  total: number;
  limit: number;
  offset: number;
  stats: { totalSessions: number; activeSessions: number; expiredSessions: number };
}

interface MessageBody {
  id: string;
  content: string;
  authorId: string;
  isAgent: boolean;
  createdAt: string;
  timestamp: number;
  metadata: Record<string, unknown>;
  attachments: unknown[];
  messageId?: string;
}

interface SentMessageBody extends MessageBody {
  sessionStatus: { expiresAt: string; renewalCount: number; wasRenewed: boolean; isNearExpiration: boolean };
}

interface MessagePageBody {
  messages: MessageBody[];
  hasMore: boolean;
  cursors: { before: number | null; after: number | null };
}

interface ErrorBody {
  error: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

interface TimeoutUpdatedBody {
  sessionId: string;
  timeoutConfig: TimeoutConfigBody;
  expiresAt: string;
  renewalCount: number;
}

interface HealthBody {
  status: string;
  activeSessions: number;
  timestamp: string;
  expiringSoon: number;
  invalidSessions: number;
  uptime: number;
}

/** Every route that acts on one session, each with a request it would otherwise accept. */
const SESSION_ROUTES: Record<string, (t: TestApp, sessionId: string) => Test> = {
  'GET /:id': (t, id) => http(t).get(`${SESSIONS}/${id}`).set(admin),
  'POST /:id/messages': (t, id) => http(t).post(`${SESSIONS}/${id}/messages`).set(admin).send({ content: 'hello' }),
  'GET /:id/messages': (t, id) => http(t).get(`${SESSIONS}/${id}/messages`).set(admin),
  'POST /:id/renew': (t, id) => http(t).post(`${SESSIONS}/${id}/renew`).set(admin),
  'PATCH /:id/timeout': (t, id) => http(t).patch(`${SESSIONS}/${id}/timeout`).set(admin).send({ timeoutMinutes: 60 }),
  'POST /:id/heartbeat': (t, id) => http(t).post(`${SESSIONS}/${id}/heartbeat`).set(admin),
  'DELETE /:id': (t, id) => http(t).delete(`${SESSIONS}/${id}`).set(admin),
};

describe('Sessions REST API (/api/messaging/sessions)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const newSession = async (body: Record<string, unknown> = {}) => (await createSession(t, body)) as unknown as SessionBody;

  /**
   * A session whose agent is deactivated once the session exists: the session stays usable, and no
   * agent reply can interleave with the user messages a history test counts.
   */
  const quietSession = async (body: Record<string, unknown> = {}) => {
    const session = await newSession(body);
    await http(t).patch(`/api/agents/${session.agentId}`).set(admin).send({ status: 'inactive' }).expect(200);
    return session;
  };

  const getSession = async (sessionId: string) => (await http(t).get(`${SESSIONS}/${sessionId}`).set(admin).expect(200)).body as SessionBody;

  const send = async (sessionId: string, content: string, extra: Record<string, unknown> = {}) =>
    (await http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content, ...extra }).expect(201)).body as SentMessageBody;

  const messagesPage = async (sessionId: string, query: Record<string, number> = {}) =>
    (await http(t).get(`${SESSIONS}/${sessionId}/messages`).query(query).set(admin).expect(200)).body as MessagePageBody;

  const sendAll = async (sessionId: string, contents: string[], advanceMsBetween: number) => {
    const sent: SentMessageBody[] = [];
    for (const content of contents) {
      sent.push(await send(sessionId, content));
      t.clock.advanceMs(advanceMsBetween);
    }
    return sent;
  };

  /** Follows `cursors.before` (older) or `cursors.after` (newer, starting from the epoch) until `hasMore` is false. */
  const walk = async (sessionId: string, direction: 'before' | 'after', limit: number) => {
    const pages: MessagePageBody[] = [];
    let cursor: number | null = direction === 'after' ? 0 : null;
    for (let guard = 0; guard < 50; guard++) {
      const page = await messagesPage(sessionId, cursor === null ? { limit } : { limit, [direction]: cursor });
      pages.push(page);
      if (!page.hasMore) return pages;
      cursor = page.cursors[direction];
    }
    throw new Error('pagination did not end');
  };

  const contentsOf = (pages: MessagePageBody[]) => pages.map((page) => page.messages.map((message) => message.content));

  describe('POST / (create)', () => {
    it('creates a session (201) with the fields of seed 004, the global default timeout and a session token', async () => {
      const agent = await createAgent(t);
      const now = t.clock.now();

      const response = await http(t)
        .post(SESSIONS)
        .set(admin)
        .send({ agentId: agent.id, userId: 'user-456', metadata: { platform: 'web', tags: ['a', 'b'], nested: { depth: 2 } } })
        .expect(201);
      const body = response.body as SessionBody;

      expect(body).toMatchObject({
        agentId: agent.id,
        userId: 'user-456',
        status: 'active',
        createdAt: iso(now),
        lastActivity: iso(now),
        expiresAt: iso(now + 30 * MINUTE),
        timeRemaining: 30 * MINUTE,
        isNearExpiration: false,
        timeoutConfig: { timeoutMinutes: 30, autoRenew: true, maxDurationMinutes: 720, warningThresholdMinutes: 5 },
        renewalCount: 0,
        metadata: { platform: 'web', tags: ['a', 'b'], nested: { depth: 2 } },
      });
      expect(body.sessionId).toMatch(UUID);
      expect(body.channelId).toMatch(UUID);
      expect(body.channelId).not.toBe(body.sessionId);
      expect(body.token).toEqual(expect.any(String));
      await http(t).get(`${SESSIONS}/${body.sessionId}`).set(bearer(body.token!)).expect(200);
    });

    it('gives every session its own channel and an empty metadata object by default', async () => {
      const agent = await createAgent(t);

      const first = await newSession({ agentId: agent.id });
      const second = await newSession({ agentId: agent.id });

      expect(first.metadata).toEqual({});
      expect(second.sessionId).not.toBe(first.sessionId);
      expect(second.channelId).not.toBe(first.channelId);
    });

    it('answers 404 AgentNotFoundError for an agentId no agent has', async () => {
      const agentId = randomUUID();

      const response = await http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1' }).expect(404);

      expect(response.body).toEqual({ error: 'AgentNotFoundError', code: 'AGENT_NOT_FOUND', message: expect.any(String), details: { agentId } });
    });

    it('answers 409 ConflictError for an inactive agent, and creates nothing', async () => {
      const agent = await createAgent(t, { status: 'inactive' });

      const response = await http(t).post(SESSIONS).set(admin).send({ agentId: agent.id, userId: 'user-1' }).expect(409);

      expect(response.body).toMatchObject({ error: 'ConflictError', code: 'CONFLICT', details: { agentId: agent.id } });
      const list = (await http(t).get(SESSIONS).query({ agentId: agent.id, status: 'all' }).set(admin).expect(200)).body as SessionListBody;
      expect(list.total).toBe(0);
    });

    it('accepts the agentId in upper case, as the agent routes do', async () => {
      const agent = await createAgent(t);
      await http(t).get(`/api/agents/${agent.id.toUpperCase()}`).set(admin).expect(200);

      const response = await http(t).post(SESSIONS).set(admin).send({ agentId: agent.id.toUpperCase(), userId: 'user-1' });

      expect(response.status).toBe(201);
      expect((response.body as SessionBody).agentId).toBe(agent.id);
    });

    it.each([
      ['timeoutMinutes 4', { timeoutMinutes: 4 }],
      ['timeoutMinutes 1441', { timeoutMinutes: 1441 }],
      ['maxDurationMinutes 0', { maxDurationMinutes: 0 }],
      ['maxDurationMinutes 4321', { maxDurationMinutes: 4321 }],
      ['warningThresholdMinutes 0', { warningThresholdMinutes: 0 }],
      ['warningThresholdMinutes 61', { warningThresholdMinutes: 61 }],
      ['maxDurationMinutes below timeoutMinutes', { timeoutMinutes: 60, maxDurationMinutes: 59 }],
    ])('refuses a timeoutConfig with %s: 400 InvalidTimeoutConfigError, nothing created', async (_label, timeoutConfig) => {
      const agent = await createAgent(t);

      const response = await http(t).post(SESSIONS).set(admin).send({ agentId: agent.id, userId: 'user-1', timeoutConfig }).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError', code: 'INVALID_TIMEOUT_CONFIG' });
      const list = (await http(t).get(SESSIONS).query({ agentId: agent.id, status: 'all' }).set(admin).expect(200)).body as SessionListBody;
      expect(list.total).toBe(0);
    });
  });

  describe('GET /:sessionId', () => {
    it('returns the session with lastActivity, timeRemaining and isNearExpiration', async () => {
      const created = await newSession({ metadata: { locale: 'fr' } });
      const createdAt = ms(created.createdAt);

      const fresh = await getSession(created.sessionId);
      expect(fresh).toEqual({ ...created, token: undefined, timeRemaining: 30 * MINUTE });
      expect(fresh).not.toHaveProperty('token');

      t.clock.advanceMinutes(26);
      const near = await getSession(created.sessionId);
      expect(near).toMatchObject({
        lastActivity: iso(createdAt),
        expiresAt: iso(createdAt + 30 * MINUTE),
        timeRemaining: 4 * MINUTE,
        isNearExpiration: true,
        status: 'active',
      });
    });

    it('accepts the id in upper case', async () => {
      const created = await newSession();

      const fetched = await getSession(created.sessionId.toUpperCase());

      expect(fetched.sessionId).toBe(created.sessionId);
    });

    it.each(Object.keys(SESSION_ROUTES))('answers 404 SessionNotFoundError on %s for an unknown id', async (route) => {
      const sessionId = randomUUID();

      const response = await SESSION_ROUTES[route](t, sessionId).expect(404);

      expect(response.body).toEqual({ error: 'SessionNotFoundError', code: 'SESSION_NOT_FOUND', message: expect.any(String), details: { sessionId } });
    });
  });

  describe('GET / (list)', () => {
    it('filters by agentId, userId and status, pages with limit/offset, and reports stats', async () => {
      const agentA = await createAgent(t);
      const agentB = await createAgent(t);
      const userX = `user-x-${randomUUID()}`;
      const userY = `user-y-${randomUUID()}`;
      const a1 = await newSession({ agentId: agentA.id, userId: userX, timeoutConfig: { timeoutMinutes: 5 } });
      t.clock.advanceMs(1);
      const a2 = await newSession({ agentId: agentA.id, userId: userY, timeoutConfig: { timeoutMinutes: 60 } });
      t.clock.advanceMs(1);
      const a3 = await newSession({ agentId: agentA.id, userId: userX, timeoutConfig: { timeoutMinutes: 60 } });
      t.clock.advanceMs(1);
      const b1 = await newSession({ agentId: agentB.id, userId: userX, timeoutConfig: { timeoutMinutes: 60 } });
      const list = async (query: Record<string, string | number>) =>
        (await http(t).get(SESSIONS).query(query).set(admin).expect(200)).body as SessionListBody;
      const ids = (body: SessionListBody) => body.sessions.map((session) => session.sessionId);

      const byAgent = await list({ agentId: agentA.id });
      expect(ids(byAgent)).toEqual([a3.sessionId, a2.sessionId, a1.sessionId]);
      expect(byAgent).toMatchObject({ total: 3, limit: 50, offset: 0, stats: { totalSessions: 3, activeSessions: 3, expiredSessions: 0 } });
      expect(byAgent.sessions[0]).toEqual({
        sessionId: a3.sessionId,
        agentId: agentA.id,
        userId: userX,
        channelId: a3.channelId,
        status: 'active',
        createdAt: a3.createdAt,
        lastActivity: a3.createdAt,
        expiresAt: a3.expiresAt,
        timeRemaining: ms(a3.expiresAt) - t.clock.now(),
        isNearExpiration: false,
        renewalCount: 0,
      });

      expect(ids(await list({ agentId: agentA.id, userId: userX }))).toEqual([a3.sessionId, a1.sessionId]);
      expect(ids(await list({ userId: userX }))).toEqual([b1.sessionId, a3.sessionId, a1.sessionId]);
      const page = await list({ agentId: agentA.id, limit: 2, offset: 1 });
      expect(ids(page)).toEqual([a2.sessionId, a1.sessionId]);
      expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });

      t.clock.advanceMinutes(5);

      const active = await list({ agentId: agentA.id, status: 'active' });
      expect(ids(active)).toEqual([a3.sessionId, a2.sessionId]);
      expect(active.total).toBe(2);
      expect(active.stats).toEqual({ totalSessions: 3, activeSessions: 2, expiredSessions: 1 });
      expect(ids(await list({ agentId: agentA.id }))).toEqual(ids(active));

      const expired = await list({ agentId: agentA.id, status: 'expired' });
      expect(expired.sessions).toEqual([expect.objectContaining({ sessionId: a1.sessionId, status: 'expired', timeRemaining: 0, isNearExpiration: false })]);
      expect(expired).toMatchObject({ total: 1, stats: { totalSessions: 3, activeSessions: 2, expiredSessions: 1 } });

      const all = await list({ agentId: agentA.id, status: 'all' });
      expect(ids(all)).toEqual([a3.sessionId, a2.sessionId, a1.sessionId]);
      expect(all.total).toBe(3);
    });

    it('filters by an agentId given in upper case', async () => {
      const session = await newSession();

      const list = (await http(t).get(SESSIONS).query({ agentId: session.agentId.toUpperCase() }).set(admin).expect(200)).body as SessionListBody;

      expect(list.sessions.map((s) => s.sessionId)).toEqual([session.sessionId]);
    });

    it.each([
      ['status=bogus', { status: 'bogus' }, 'ValidationError'],
      ['limit=101', { limit: 101 }, 'InvalidPaginationError'],
      ['limit=0', { limit: 0 }, 'InvalidPaginationError'],
      ['offset=-1', { offset: -1 }, 'InvalidPaginationError'],
      ['agentId=not-a-uuid', { agentId: 'not-a-uuid' }, 'InvalidUuidError'],
    ])('answers 400 to %s', async (_label, query, error) => {
      const response = await http(t).get(SESSIONS).query(query).set(admin).expect(400);

      expect((response.body as ErrorBody).error).toBe(error);
    });
  });

  describe('DELETE /:sessionId', () => {
    it('ends the session (200 {success, message}); the session and its messages are gone (404)', async () => {
      const session = await quietSession();
      await send(session.sessionId, 'soon gone');

      const response = await http(t).delete(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);

      expect(response.body).toEqual({ success: true, message: `Session ${session.sessionId} deleted successfully` });
      const gone = await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(404);
      expect(gone.body).toMatchObject({ error: 'SessionNotFoundError', code: 'SESSION_NOT_FOUND' });
      const messages = await http(t).get(`${SESSIONS}/${session.sessionId}/messages`).set(admin).expect(404);
      expect(messages.body).toMatchObject({ error: 'SessionNotFoundError' });
      await http(t).delete(`${SESSIONS}/${session.sessionId}`).set(admin).expect(404);
      const list = (await http(t).get(SESSIONS).query({ agentId: session.agentId, status: 'all' }).set(admin).expect(200)).body as SessionListBody;
      expect(list.total).toBe(0);
    });
  });

  describe('POST /:sessionId/messages (send)', () => {
    it('stores the message (201) and answers with it and the session status', async () => {
      const session = await quietSession({ userId: 'user-789' });
      t.clock.advanceMinutes(1);
      const now = t.clock.now();

      const response = await http(t)
        .post(`${SESSIONS}/${session.sessionId}/messages`)
        .set(admin)
        .send({ content: 'Hello, agent', metadata: { client: 'web' }, attachments: [{ type: 'image', url: 'https://files.example.com/cat.png', name: 'cat.png' }] })
        .expect(201);
      const body = response.body as SentMessageBody;

      expect(body).toMatchObject({
        content: 'Hello, agent',
        authorId: 'user-789',
        isAgent: false,
        createdAt: iso(now),
        metadata: { client: 'web' },
        attachments: [{ type: 'image', url: 'https://files.example.com/cat.png', name: 'cat.png' }],
        sessionStatus: { expiresAt: iso(now + 30 * MINUTE), renewalCount: 1, wasRenewed: true, isNearExpiration: false },
      });
      expect(body.id).toMatch(UUID);
      const page = await messagesPage(session.sessionId);
      expect(page.messages).toEqual([
        {
          id: body.id,
          content: 'Hello, agent',
          authorId: 'user-789',
          isAgent: false,
          createdAt: body.createdAt,
          timestamp: ms(body.createdAt),
          metadata: { client: 'web' },
          attachments: [{ type: 'image', url: 'https://files.example.com/cat.png', name: 'cat.png' }],
        },
      ]);
    });

    it('gives messages time-ordered ids (UUID version 7): a later message sorts after an earlier one', async () => {
      const session = await quietSession();
      const ids: string[] = [];
      for (const content of ['first', 'second', 'third']) {
        t.clock.advanceMinutes(1);
        const sent = await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content }).expect(201);
        ids.push((sent.body as SentMessageBody).id);
      }

      expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
      expect([...ids].sort()).toEqual(ids);
    });

    it('reports isNearExpiration in sessionStatus when the message leaves the session inside its warning window', async () => {
      const session = await quietSession({ timeoutConfig: { autoRenew: false } });
      t.clock.advanceMinutes(26);

      const sent = await send(session.sessionId, 'late');

      expect(sent.sessionStatus).toEqual({ expiresAt: session.expiresAt, renewalCount: 0, wasRenewed: false, isNearExpiration: true });
    });
  });

  describe('GET /:sessionId/messages (history)', () => {
    it('answers an empty page for a session without messages', async () => {
      const session = await quietSession();

      expect(await messagesPage(session.sessionId)).toEqual({ messages: [], hasMore: false, cursors: { before: null, after: null } });
    });

    it('returns newest first, 50 by default, up to 100 with limit; limit=101 is 400 InvalidPaginationError', async () => {
      const session = await quietSession();
      const contents = Array.from({ length: 51 }, (_, i) => `m${i + 1}`);
      await sendAll(session.sessionId, contents, 1_000);
      const newestFirst = [...contents].reverse();

      const byDefault = await messagesPage(session.sessionId);
      expect(byDefault.messages.map((m) => m.content)).toEqual(newestFirst.slice(0, 50));
      expect(byDefault.hasMore).toBe(true);

      const hundred = await messagesPage(session.sessionId, { limit: 100 });
      expect(hundred.messages.map((m) => m.content)).toEqual(newestFirst);
      expect(hundred.hasMore).toBe(false);

      const tooMany = await http(t).get(`${SESSIONS}/${session.sessionId}/messages?limit=101`).set(admin).expect(400);
      expect(tooMany.body).toMatchObject({ error: 'InvalidPaginationError', code: 'INVALID_PAGINATION' });
      await http(t).get(`${SESSIONS}/${session.sessionId}/messages?limit=0`).set(admin).expect(400);
    });

    describe.each([
      ['one second apart', 1_000],
      ['sent while the clock stands still (equal timestamps)', 0],
    ])('a conversation of 7 messages %s, read 3 at a time', (_label, gapMs) => {
      let sessionId: string;
      let sent: SentMessageBody[];

      beforeAll(async () => {
        sessionId = (await quietSession()).sessionId;
        sent = await sendAll(sessionId, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'], gapMs);
      });

      it('walks back with cursors.before: every message exactly once, newest first, hasMore until the oldest', async () => {
        const pages = await walk(sessionId, 'before', 3);

        expect(contentsOf(pages)).toEqual([
          ['m7', 'm6', 'm5'],
          ['m4', 'm3', 'm2'],
          ['m1'],
        ]);
        expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
        expect(pages.flatMap((page) => page.messages.map((m) => m.id))).toEqual([...sent].reverse().map((m) => m.id));
      });

      it('walks forward with cursors.after: every message exactly once, each page newest first', async () => {
        const pages = await walk(sessionId, 'after', 3);

        expect(contentsOf(pages)).toEqual([
          ['m3', 'm2', 'm1'],
          ['m6', 'm5', 'm4'],
          ['m7'],
        ]);
        expect(pages.map((page) => page.hasMore)).toEqual([true, true, false]);
      });

      it('sets cursors.before to the oldest and cursors.after to the newest message of the page', async () => {
        const page = await messagesPage(sessionId, { limit: 3 });

        expect(page.cursors).toEqual({ before: page.messages[2].timestamp, after: page.messages[0].timestamp });
        expect(page.messages.map((m) => m.timestamp)).toEqual(page.messages.map((m) => ms(m.createdAt)));
      });

      it('reads only the messages strictly between after and before', async () => {
        const [, m6, m5, , m3, m2] = (await messagesPage(sessionId)).messages;

        const narrow = await messagesPage(sessionId, { after: m3.timestamp, before: m5.timestamp });
        const wide = await messagesPage(sessionId, { after: m2.timestamp, before: m6.timestamp });

        expect(narrow.messages.map((m) => m.content)).toEqual(['m4']);
        expect(wide.messages.map((m) => m.content)).toEqual(['m5', 'm4', 'm3']);
      });
    });

    it('polling with cursors.after returns only what arrived since', async () => {
      const session = await quietSession();
      await sendAll(session.sessionId, ['old-1', 'old-2'], 0);
      const first = await messagesPage(session.sessionId);

      const nothingYet = await messagesPage(session.sessionId, { after: first.cursors.after! });
      expect(nothingYet).toMatchObject({ messages: [], hasMore: false });

      await sendAll(session.sessionId, ['new-1', 'new-2'], 0);
      const polled = await messagesPage(session.sessionId, { after: first.cursors.after! });
      expect(polled.messages.map((m) => m.content)).toEqual(['new-2', 'new-1']);
    });

    it('keeps every message exactly once when they are sent concurrently at the same instant', async () => {
      const session = await quietSession();
      const contents = Array.from({ length: 7 }, (_, i) => `c${i + 1}`);

      const sent = await Promise.all(contents.map((content) => send(session.sessionId, content)));

      const full = (await messagesPage(session.sessionId)).messages;
      expect(full.map((m) => m.id).sort()).toEqual(sent.map((m) => m.id).sort());
      const backwards = (await walk(session.sessionId, 'before', 3)).flatMap((page) => page.messages.map((m) => m.id));
      const forwards = (await walk(session.sessionId, 'after', 3)).reverse().flatMap((page) => page.messages.map((m) => m.id));
      expect(backwards).toEqual(full.map((m) => m.id));
      expect(forwards).toEqual(full.map((m) => m.id));
    });

    it.each([
      ['after equal to before', 1_000, 1_000],
      ['after greater than before', 2_000, 1_000],
    ])('answers 400 InvalidPaginationError for %s', async (_label, after, before) => {
      const session = await quietSession();

      const response = await http(t).get(`${SESSIONS}/${session.sessionId}/messages`).query({ after, before }).set(admin).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidPaginationError', code: 'INVALID_PAGINATION' });
    });
  });

  describe('POST /:sessionId/renew', () => {
    it('renews by a full timeout from now (200): renewalCount + 1, expiresAt moved', async () => {
      const session = await newSession();
      t.clock.advanceMinutes(10);
      const now = t.clock.now();

      const response = await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin).expect(200);

      expect(response.body).toMatchObject({
        sessionId: session.sessionId,
        renewalCount: 1,
        expiresAt: iso(now + 30 * MINUTE),
        lastActivity: iso(now),
        timeRemaining: 30 * MINUTE,
        timeoutConfig: session.timeoutConfig,
      });
      expect(await getSession(session.sessionId)).toMatchObject({ renewalCount: 1, expiresAt: iso(now + 30 * MINUTE) });
    });

    it('works when autoRenew is false', async () => {
      const session = await newSession({ timeoutConfig: { autoRenew: false } });
      t.clock.advanceMinutes(10);

      const response = await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin).expect(200);

      expect(response.body).toMatchObject({ renewalCount: 1, expiresAt: iso(t.clock.now() + 30 * MINUTE), timeoutConfig: { autoRenew: false } });
    });

    it('caps expiresAt at createdAt + maxDurationMinutes, then refuses with 422 SessionRenewalError', async () => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 30, maxDurationMinutes: 40 } });
      const cap = iso(ms(session.createdAt) + 40 * MINUTE);
      t.clock.advanceMinutes(15);

      const capped = await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin).expect(200);
      expect(capped.body).toMatchObject({ expiresAt: cap, renewalCount: 1 });

      t.clock.advanceMinutes(5);
      const refused = await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin).expect(422);
      expect(refused.body).toEqual({
        error: 'SessionRenewalError',
        code: 'SESSION_RENEWAL_FAILED',
        message: expect.any(String),
        details: { sessionId: session.sessionId, maxDurationMinutes: 40, expiresAt: cap },
      });
      expect(await getSession(session.sessionId)).toMatchObject({ expiresAt: cap, renewalCount: 1 });
    });
  });

  describe('PATCH /:sessionId/timeout', () => {
    it('replaces the timeout config (200 {sessionId, timeoutConfig, expiresAt, renewalCount}), expiry counted from now', async () => {
      const session = await newSession();
      t.clock.advanceMinutes(3);
      const now = t.clock.now();

      const response = await http(t)
        .patch(`${SESSIONS}/${session.sessionId}/timeout`)
        .set(admin)
        .send({ timeoutMinutes: 120, autoRenew: false, maxDurationMinutes: 480 })
        .expect(200);

      const expected: TimeoutUpdatedBody = {
        sessionId: session.sessionId,
        timeoutConfig: { timeoutMinutes: 120, autoRenew: false, maxDurationMinutes: 480, warningThresholdMinutes: 5 },
        expiresAt: iso(now + 120 * MINUTE),
        renewalCount: 0,
      };
      expect(response.body).toEqual(expected);
      expect(await getSession(session.sessionId)).toMatchObject({ timeoutConfig: expected.timeoutConfig, expiresAt: expected.expiresAt });
    });

    it('keeps the fields the patch leaves out', async () => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 45, autoRenew: false, maxDurationMinutes: 90 } });

      const response = await http(t).patch(`${SESSIONS}/${session.sessionId}/timeout`).set(admin).send({ warningThresholdMinutes: 10 }).expect(200);

      expect((response.body as TimeoutUpdatedBody).timeoutConfig).toEqual({ timeoutMinutes: 45, autoRenew: false, maxDurationMinutes: 90, warningThresholdMinutes: 10 });
    });

    it('caps the new expiry at createdAt + the new maxDurationMinutes', async () => {
      const session = await newSession();
      t.clock.advanceMinutes(20);

      const response = await http(t).patch(`${SESSIONS}/${session.sessionId}/timeout`).set(admin).send({ maxDurationMinutes: 40 }).expect(200);

      expect((response.body as TimeoutUpdatedBody).expiresAt).toBe(iso(ms(session.createdAt) + 40 * MINUTE));
    });

    it.each([
      ['timeoutMinutes 4', { timeoutMinutes: 4 }],
      ['timeoutMinutes 1441', { timeoutMinutes: 1441 }],
      ['maxDurationMinutes 0', { maxDurationMinutes: 0 }],
      ['maxDurationMinutes 4321', { maxDurationMinutes: 4321 }],
      ['warningThresholdMinutes 0', { warningThresholdMinutes: 0 }],
      ['warningThresholdMinutes 61', { warningThresholdMinutes: 61 }],
      ['maxDurationMinutes below the current timeoutMinutes', { maxDurationMinutes: 20 }],
      ['maxDurationMinutes below the new timeoutMinutes', { timeoutMinutes: 60, maxDurationMinutes: 30 }],
      ['timeoutMinutes above the current maxDurationMinutes', { timeoutMinutes: 120 }],
    ])('refuses %s with 400 InvalidTimeoutConfigError and leaves the session as it was (never clamps)', async (_label, patch) => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 30, maxDurationMinutes: 100 } });

      const response = await http(t).patch(`${SESSIONS}/${session.sessionId}/timeout`).set(admin).send(patch).expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError', code: 'INVALID_TIMEOUT_CONFIG' });
      expect(await getSession(session.sessionId)).toMatchObject({ timeoutConfig: session.timeoutConfig, expiresAt: session.expiresAt });
    });

    it('refuses a maxDurationMinutes the session has already outlived (400), rather than expiring it', async () => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 30 } });
      t.clock.advanceMinutes(20);

      const response = await http(t)
        .patch(`${SESSIONS}/${session.sessionId}/timeout`)
        .set(admin)
        .send({ timeoutMinutes: 10, maxDurationMinutes: 15 })
        .expect(400);

      expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError' });
      await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(200);
    });
  });

  describe('POST /:sessionId/heartbeat', () => {
    it('records activity and auto-renews when autoRenew is true (200)', async () => {
      const session = await newSession({ timeoutConfig: { autoRenew: true } });
      t.clock.advanceMinutes(10);
      const now = t.clock.now();

      const response = await http(t).post(`${SESSIONS}/${session.sessionId}/heartbeat`).set(admin).expect(200);

      expect(response.body).toMatchObject({
        sessionId: session.sessionId,
        lastActivity: iso(now),
        expiresAt: iso(now + 30 * MINUTE),
        renewalCount: 1,
        timeRemaining: 30 * MINUTE,
        isNearExpiration: false,
        timeoutConfig: session.timeoutConfig,
      });
    });

    it('records activity but leaves expiresAt alone when autoRenew is false', async () => {
      const session = await newSession({ timeoutConfig: { autoRenew: false } });
      t.clock.advanceMinutes(10);
      const now = t.clock.now();

      const response = await http(t).post(`${SESSIONS}/${session.sessionId}/heartbeat`).set(admin).expect(200);

      expect(response.body).toMatchObject({ lastActivity: iso(now), expiresAt: session.expiresAt, renewalCount: 0, timeRemaining: 20 * MINUTE });
      expect(await getSession(session.sessionId)).toMatchObject({ lastActivity: iso(now), expiresAt: session.expiresAt });
    });
  });

  describe('auto-renew on messages', () => {
    it('slides expiresAt forward on each message, never past createdAt + maxDurationMinutes', async () => {
      const session = await quietSession({ timeoutConfig: { timeoutMinutes: 10, maxDurationMinutes: 25, autoRenew: true } });
      const createdAt = ms(session.createdAt);

      t.clock.advanceMinutes(5);
      expect((await send(session.sessionId, 'at 5')).sessionStatus).toEqual({ expiresAt: iso(createdAt + 15 * MINUTE), renewalCount: 1, wasRenewed: true, isNearExpiration: false });

      t.clock.advanceMinutes(8);
      expect((await send(session.sessionId, 'at 13')).sessionStatus).toMatchObject({ expiresAt: iso(createdAt + 23 * MINUTE), renewalCount: 2, wasRenewed: true });

      t.clock.advanceMinutes(8);
      expect((await send(session.sessionId, 'at 21')).sessionStatus).toEqual({ expiresAt: iso(createdAt + 25 * MINUTE), renewalCount: 3, wasRenewed: true, isNearExpiration: true });

      t.clock.advanceMinutes(3);
      expect((await send(session.sessionId, 'at 24')).sessionStatus).toEqual({ expiresAt: iso(createdAt + 25 * MINUTE), renewalCount: 3, wasRenewed: false, isNearExpiration: true });
      expect(await getSession(session.sessionId)).toMatchObject({ expiresAt: iso(createdAt + 25 * MINUTE), renewalCount: 3, lastActivity: iso(createdAt + 24 * MINUTE) });

      t.clock.advanceMinutes(1);
      await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content: 'at 25' }).expect(410);
    });

    it('leaves expiresAt alone when autoRenew is false, but records the activity', async () => {
      const session = await quietSession({ timeoutConfig: { autoRenew: false } });
      t.clock.advanceMinutes(10);

      const sent = await send(session.sessionId, 'no renewal');

      expect(sent.sessionStatus).toEqual({ expiresAt: session.expiresAt, renewalCount: 0, wasRenewed: false, isNearExpiration: false });
      expect(await getSession(session.sessionId)).toMatchObject({ lastActivity: iso(t.clock.now()), expiresAt: session.expiresAt });
    });
  });

  describe('expiry', () => {
    it('is live until the last millisecond before expiresAt and expired at expiresAt', async () => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 5 } });

      t.clock.advanceMs(5 * MINUTE - 1);
      expect(await getSession(session.sessionId)).toMatchObject({ timeRemaining: 1, isNearExpiration: true });

      t.clock.advanceMs(1);
      await http(t).get(`${SESSIONS}/${session.sessionId}`).set(admin).expect(410);
    });

    it.each(Object.keys(SESSION_ROUTES))('answers 410 SessionExpiredError with details.expiresAt on %s at once, without waiting for a sweep', async (route) => {
      const session = await newSession({ timeoutConfig: { timeoutMinutes: 5 } });
      t.clock.advanceMinutes(6);

      const response = await SESSION_ROUTES[route](t, session.sessionId).expect(410);

      expect(response.body).toEqual({
        error: 'SessionExpiredError',
        code: 'SESSION_EXPIRED',
        message: expect.any(String),
        details: { sessionId: session.sessionId, expiresAt: session.expiresAt },
      });
    });
  });

  describe('idempotent send (client messageId)', () => {
    it('stores a retried messageId once; both answers carry the same message', async () => {
      const session = await quietSession();
      const messageId = randomUUID();

      const first = await send(session.sessionId, 'exactly once', { messageId });
      const retry = await send(session.sessionId, 'exactly once', { messageId });

      expect(retry.id).toBe(first.id);
      expect(retry).toMatchObject({ content: 'exactly once', createdAt: first.createdAt, messageId });
      const page = await messagesPage(session.sessionId);
      expect(page.messages).toHaveLength(1);
      expect(page.messages[0]).toMatchObject({ id: first.id, messageId });
    });

    it('answers a sync retry with the agent\'s reply to the original; the agent answers once', async () => {
      const session = await newSession();
      const messageId = randomUUID();

      const first = await send(session.sessionId, 'sync once', { messageId, mode: 'sync' });
      const retry = await send(session.sessionId, 'sync once', { messageId, mode: 'sync' });

      expect(first).toMatchObject({ agentResponse: { text: 'You said: sync once' } });
      expect(retry).toMatchObject({ id: first.id, agentResponse: (first as { agentResponse?: unknown }).agentResponse });
      expect((await messagesPage(session.sessionId)).messages).toHaveLength(2);
    });

    it('answers a retry with the stored message even if the retry carries other content', async () => {
      const session = await quietSession();
      const messageId = randomUUID();

      const first = await send(session.sessionId, 'original', { messageId });
      const retry = await send(session.sessionId, 'changed on retry', { messageId });

      expect(retry).toMatchObject({ id: first.id, content: 'original' });
      expect((await messagesPage(session.sessionId)).messages.map((m) => m.content)).toEqual(['original']);
    });

    it('stores one message when retries race the original', async () => {
      const session = await quietSession();
      const messageId = randomUUID();

      const answers = await Promise.all(Array.from({ length: 5 }, () => send(session.sessionId, 'racing', { messageId })));

      expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
      expect((await messagesPage(session.sessionId)).messages).toHaveLength(1);
    });

    it('stores a separate message for the same messageId in another session', async () => {
      const first = await quietSession();
      const second = await quietSession();
      const messageId = randomUUID();

      const inFirst = await send(first.sessionId, 'to the first', { messageId });
      const inSecond = await send(second.sessionId, 'to the second', { messageId });

      expect(inSecond.id).not.toBe(inFirst.id);
      expect((await messagesPage(first.sessionId)).messages.map((m) => m.id)).toEqual([inFirst.id]);
      expect((await messagesPage(second.sessionId)).messages.map((m) => m.id)).toEqual([inSecond.id]);
    });
  });
});

describe('GET /api/messaging/sessions/health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const health = async () => (await http(t).get(`${SESSIONS}/health`).set(admin).expect(200)).body as HealthBody;

  it('answers healthy with counts that follow sessions as they near expiry, expire and end', async () => {
    expect(await health()).toEqual({
      status: 'healthy',
      activeSessions: 0,
      timestamp: iso(t.clock.now()),
      expiringSoon: 0,
      invalidSessions: 0,
      uptime: expect.any(Number),
    });

    await createSession(t, { timeoutConfig: { timeoutMinutes: 10, warningThresholdMinutes: 5 } });
    await createSession(t, { timeoutConfig: { timeoutMinutes: 10, warningThresholdMinutes: 5 } });
    const longLived = await createSession(t, { timeoutConfig: { timeoutMinutes: 60, warningThresholdMinutes: 5 } });
    expect(await health()).toMatchObject({ activeSessions: 3, expiringSoon: 0, invalidSessions: 0 });

    t.clock.advanceMinutes(6);
    expect(await health()).toMatchObject({ activeSessions: 3, expiringSoon: 2, invalidSessions: 0, timestamp: iso(t.clock.now()) });

    t.clock.advanceMinutes(4);
    expect(await health()).toMatchObject({ activeSessions: 1, expiringSoon: 0, invalidSessions: 2 });

    await http(t).delete(`${SESSIONS}/${longLived.sessionId}`).set(admin).expect(200);
    const last = await health();
    expect(last).toMatchObject({ activeSessions: 0, expiringSoon: 0, invalidSessions: 2 });
    expect(Number.isInteger(last.uptime) && last.uptime >= 0).toBe(true);
  });
});

describe('timeout config hierarchy: global defaults → agent settings → session request', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        SESSION_DEFAULT_TIMEOUT_MINUTES: '20',
        SESSION_AUTO_RENEW: 'false',
        SESSION_MAX_DURATION_MINUTES: '100',
        SESSION_WARNING_THRESHOLD_MINUTES: '3',
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (agentSettings: Record<string, unknown> | undefined, sessionTimeout?: Record<string, unknown>) => {
    const agent = await createAgent(t, agentSettings ? { settings: { timeoutConfig: agentSettings } } : {});
    return (await createSession(t, { agentId: agent.id, ...(sessionTimeout ? { timeoutConfig: sessionTimeout } : {}) })) as unknown as SessionBody;
  };

  it('uses the global defaults from the environment when neither agent nor request say otherwise', async () => {
    const session = await create(undefined);

    expect(session.timeoutConfig).toEqual({ timeoutMinutes: 20, autoRenew: false, maxDurationMinutes: 100, warningThresholdMinutes: 3 });
    expect(session.expiresAt).toBe(iso(ms(session.createdAt) + 20 * MINUTE));
  });

  it('lets the agent settings override the global defaults, field by field', async () => {
    const session = await create({ timeoutMinutes: 45, autoRenew: true });

    expect(session.timeoutConfig).toEqual({ timeoutMinutes: 45, autoRenew: true, maxDurationMinutes: 100, warningThresholdMinutes: 3 });
    expect(session.expiresAt).toBe(iso(ms(session.createdAt) + 45 * MINUTE));
  });

  it('lets the session request override the agent settings, field by field', async () => {
    const session = await create({ timeoutMinutes: 45, autoRenew: true, warningThresholdMinutes: 7 }, { timeoutMinutes: 60, autoRenew: false });

    expect(session.timeoutConfig).toEqual({ timeoutMinutes: 60, autoRenew: false, maxDurationMinutes: 100, warningThresholdMinutes: 7 });
    expect(session.expiresAt).toBe(iso(ms(session.createdAt) + 60 * MINUTE));
  });

  it('lets the session request override the global defaults when the agent has no settings', async () => {
    const session = await create(undefined, { maxDurationMinutes: 300, warningThresholdMinutes: 10 });

    expect(session.timeoutConfig).toEqual({ timeoutMinutes: 20, autoRenew: false, maxDurationMinutes: 300, warningThresholdMinutes: 10 });
  });

  it('refuses a request whose merged config breaks the bounds (400), never clamping it', async () => {
    const agent = await createAgent(t, { settings: { timeoutConfig: { maxDurationMinutes: 60 } } });

    const response = await http(t).post(SESSIONS).set(admin).send({ agentId: agent.id, userId: 'user-1', timeoutConfig: { timeoutMinutes: 90 } }).expect(400);

    expect(response.body).toMatchObject({ error: 'InvalidTimeoutConfigError', code: 'INVALID_TIMEOUT_CONFIG' });
  });

  it('applies an agent settings change to sessions created afterwards, not to existing ones', async () => {
    const agent = await createAgent(t, { settings: { timeoutConfig: { timeoutMinutes: 45 } } });
    const before = (await createSession(t, { agentId: agent.id })) as unknown as SessionBody;

    await http(t).patch(`/api/agents/${agent.id}`).set(admin).send({ settings: { timeoutConfig: { timeoutMinutes: 15 } } }).expect(200);
    const after = (await createSession(t, { agentId: agent.id })) as unknown as SessionBody;

    expect(after.timeoutConfig.timeoutMinutes).toBe(15);
    const unchanged = (await http(t).get(`${SESSIONS}/${before.sessionId}`).set(admin).expect(200)).body as SessionBody;
    expect(unchanged.timeoutConfig.timeoutMinutes).toBe(45);
  });
});
