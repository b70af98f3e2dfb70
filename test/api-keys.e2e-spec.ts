import { randomUUID } from 'node:crypto';
import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { apiKeyHeader, expectAuthError, expectError } from './utils-auth/auth-helpers';
import { storedRows, tableNames } from './utils-auth/stored-rows';
import { within } from './utils-realtime/deadline';
import { SocketPool } from './utils-realtime/sockets';
import { FRAME_TIMEOUT_MS, WsPool } from './utils-ws/ws-client';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const postKey = (body: Record<string, unknown>) => http(t).post('/api/auth/keys').set(admin).send(body);
const listKeys = async (): Promise<Array<Record<string, unknown>>> => (await http(t).get('/api/auth/keys').set(admin).expect(200)).body.keys;
const listedKey = async (id: string) => (await listKeys()).find((key) => key.id === id);
/** A request any key with agents:read may make; what it answers tells whether the key is accepted. */
const useKey = (token: string) => http(t).get('/api/agents').set(bearer(token));

describe('POST /api/auth/keys', () => {
  it('answers 201 with the key and its token, which is shown in this response only', async () => {
    const response = await postKey({ name: 'chat-frontend', scopes: ['sessions:create', 'sessions:read'] });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'chat-frontend',
      scopes: ['sessions:create', 'sessions:read'],
      token: expect.stringMatching(/^sb_key_[A-Za-z0-9_-]{32,}$/),
      tokenPrefix: expect.stringMatching(/^sb_key_/),
      createdAt: iso(t.clock.now()),
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
    });
    expect(response.body.token.startsWith(response.body.tokenPrefix)).toBe(true);
    expect(response.body.tokenPrefix.length).toBeLessThan(response.body.token.length - 20);
  });

  it('gives a token that works at once, for its scopes only', async () => {
    const { token } = await createApiKey(t, ['agents:read']);

    await useKey(token).expect(200);
    expectAuthError(await http(t).post('/api/agents').set(bearer(token)).send({ name: 'not-allowed' }), 403);
  });

  it('echoes expiresAt', async () => {
    const expiresAt = iso(t.clock.now() + 86_400_000);

    const response = await postKey({ name: 'expiring', scopes: ['agents:read'], expiresAt }).expect(201);

    expect(response.body.expiresAt).toBe(expiresAt);
  });

  it('stores each scope once', async () => {
    const response = await postKey({ name: 'twice', scopes: ['agents:read', 'agents:read'] }).expect(201);

    expect(response.body.scopes).toEqual(['agents:read']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown scope', { name: 'k', scopes: ['sessions:everything'] }, 'ValidationError'],
    ['a known and an unknown scope', { name: 'k', scopes: ['agents:read', 'root'] }, 'ValidationError'],
    ['empty scopes', { name: 'k', scopes: [] }, 'ValidationError'],
    ['scopes that are not a list', { name: 'k', scopes: 'admin' }, 'ValidationError'],
    ['no scopes', { name: 'k' }, 'MissingFieldsError'],
    ['no name', { scopes: ['agents:read'] }, 'MissingFieldsError'],
    ['a blank name', { name: '   ', scopes: ['agents:read'] }, 'ValidationError'],
    ['a name over 100 characters', { name: 'k'.repeat(101), scopes: ['agents:read'] }, 'ValidationError'],
    ['an expiresAt that is not a date', { name: 'k', scopes: ['agents:read'], expiresAt: 'tomorrow' }, 'ValidationError'],
    ['an unknown field', { name: 'k', scopes: ['agents:read'], tokenHash: 'x' }, 'ValidationError'],
  ])('answers 400 for %s and stores nothing', async (_case, body, error) => {
    const before = (await listKeys()).length;

    expectError(await postKey(body), 400, error);
    expect(await listKeys()).toHaveLength(before);
  });

  it.each([
    ['in the past', -3_600_000],
    ['now', 0],
  ])('answers 400 ValidationError for an expiresAt %s', async (_case, offsetMs) => {
    const response = await postKey({ name: 'k', scopes: ['agents:read'], expiresAt: iso(t.clock.now() + offsetMs) });

    expectError(response, 400, 'ValidationError');
  });
});

describe('GET /api/auth/keys', () => {
  it('lists keys with their prefix and never their token or its hash', async () => {
    const created = await createApiKey(t, ['agents:read'], 'listed');

    const response = await http(t).get('/api/auth/keys').set(admin).expect(200);

    const listed = response.body.keys.find((key: { id: string }) => key.id === created.id);
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'scopes', 'tokenPrefix']);
    expect(created.token.startsWith(listed.tokenPrefix)).toBe(true);
    for (const key of response.body.keys) {
      expect(key).not.toHaveProperty('token');
      expect(key).not.toHaveProperty('tokenHash');
    }
    expect(response.text).not.toContain(created.token);
  });

  it('sets lastUsedAt when the key is used, and moves it on later use', async () => {
    const { id, token } = await createApiKey(t, ['agents:read']);
    expect((await listedKey(id))?.lastUsedAt).toBeNull();

    await useKey(token).expect(200);
    expect((await listedKey(id))?.lastUsedAt).toBe(iso(t.clock.now()));

    t.clock.advanceMinutes(5);
    await useKey(token).expect(200);
    expect((await listedKey(id))?.lastUsedAt).toBe(iso(t.clock.now()));
  });

  it('sets lastUsedAt also when the key lacks the route\'s scope, since it was presented', async () => {
    const { id, token } = await createApiKey(t, ['agents:read']);

    expectAuthError(await http(t).get('/api/auth/keys').set(bearer(token)), 403);

    expect((await listedKey(id))?.lastUsedAt).toBe(iso(t.clock.now()));
  });
});

describe('DELETE /api/auth/keys/:keyId', () => {
  it('revokes the key: its very next request is 401, as Bearer and as X-API-KEY', async () => {
    const { id, token } = await createApiKey(t, ['agents:read']);
    await useKey(token).expect(200);

    const response = await http(t).delete(`/api/auth/keys/${id}`).set(admin);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: expect.any(String) });
    expectAuthError(await useKey(token), 401);
    expectAuthError(await http(t).get('/api/agents').set(apiKeyHeader(token)), 401);
  });

  it('keeps the revoked key in the list, with revokedAt', async () => {
    const { id } = await createApiKey(t, ['agents:read']);

    await http(t).delete(`/api/auth/keys/${id}`).set(admin).expect(200);

    expect((await listedKey(id))?.revokedAt).toBe(iso(t.clock.now()));
  });

  it('leaves the other keys working', async () => {
    const [revoked, kept] = [await createApiKey(t, ['agents:read']), await createApiKey(t, ['agents:read'])];

    await http(t).delete(`/api/auth/keys/${revoked.id}`).set(admin).expect(200);

    await useKey(kept.token).expect(200);
  });

  it('answers 404 NotFoundError when the key is already revoked', async () => {
    const { id } = await createApiKey(t, ['agents:read']);
    await http(t).delete(`/api/auth/keys/${id}`).set(admin).expect(200);

    expectError(await http(t).delete(`/api/auth/keys/${id}`).set(admin), 404, 'NotFoundError');
  });

  it('answers 404 NotFoundError for a key that never existed', async () => {
    expectError(await http(t).delete(`/api/auth/keys/${randomUUID()}`).set(admin), 404, 'NotFoundError');
  });

  it('answers 400 InvalidUuidError for an id that is not a UUID', async () => {
    expectError(await http(t).delete('/api/auth/keys/not-a-uuid').set(admin), 400, 'InvalidUuidError');
  });

  it('lets an admin key revoke itself, which ends it at once', async () => {
    const { id, token } = await createApiKey(t, ['admin']);

    await http(t).delete(`/api/auth/keys/${id}`).set(bearer(token)).expect(200);

    expectAuthError(await http(t).get('/api/auth/keys').set(bearer(token)), 401);
  });
});

describe('a key with expiresAt', () => {
  it('works until then and is refused with 401 after', async () => {
    const expiresAt = iso(t.clock.now() + 60 * 60_000);
    const token = (await postKey({ name: 'one-hour', scopes: ['agents:read'], expiresAt }).expect(201)).body.token as string;

    t.clock.advanceMinutes(59);
    await useKey(token).expect(200);

    t.clock.advanceMinutes(2);
    expectAuthError(await useKey(token), 401);
  });
});

describe('tokens at rest', () => {
  it('stores neither API key tokens nor session tokens in plain text, in any column of any table', async () => {
    const key = await createApiKey(t, ['sessions:create', 'sessions:read']);
    const session = await createSession(t, {}, bearer(key.token));
    await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)).expect(200);
    const secrets = [key.token, session.token];
    // The key's listed prefix is stored on purpose; what follows it must not be.
    const unlistedParts = secrets.map((secret) => secret.slice(16));

    const tables = tableNames(t);
    const stored = (await Promise.all(tables.map((table) => storedRows(t, table)))).flat().flatMap((row) => Object.values(row).map(String));

    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'session_tokens', 'sessions']));
    expect(await storedRows(t, 'api_keys')).not.toHaveLength(0);
    expect(await storedRows(t, 'session_tokens')).not.toHaveLength(0);
    expect(stored.filter((value) => [...secrets, ...unlistedParts].some((secret) => value.includes(secret)))).toEqual([]);
  });
});

describe('sessions by who created them', () => {
  const sessionScopes = ['sessions:create', 'sessions:read', 'sessions:write'];
  let keyA: { id: string; token: string };
  let keyB: { id: string; token: string };
  let sessionOfA: string;
  let sessionOfB: string;
  let agentId: string;
  const listAs = async (token: string) =>
    (await http(t).get('/api/messaging/sessions').query({ agentId, status: 'all', limit: 100 }).set(bearer(token)).expect(200)).body;

  beforeAll(async () => {
    agentId = (await createAgent(t)).id;
    [keyA, keyB] = [await createApiKey(t, sessionScopes, 'key-a'), await createApiKey(t, sessionScopes, 'key-b')];
    sessionOfA = (await createSession(t, { agentId }, bearer(keyA.token))).sessionId;
    sessionOfB = (await createSession(t, { agentId }, bearer(keyB.token))).sessionId;
  });

  it('records the key that created each session', async () => {
    const rows = await storedRows(t, 'sessions');

    expect(rows.filter((row) => [sessionOfA, sessionOfB].includes(row.id as string)).map((row) => [row.id, row.created_by])).toEqual(
      expect.arrayContaining([
        [sessionOfA, keyA.id],
        [sessionOfB, keyB.id],
      ]),
    );
  });

  it('lists to a key only the sessions it created, in the page, the total and the stats', async () => {
    const page = await listAs(keyA.token);

    expect(page.sessions.map((session: { sessionId: string }) => session.sessionId)).toEqual([sessionOfA]);
    expect(page.total).toBe(1);
    expect(page.stats).toMatchObject({ totalSessions: 1, activeSessions: 1 });
  });

  it('lists nothing to a key that may read sessions but created none', async () => {
    const reader = await createApiKey(t, ['sessions:read']);

    expect(await listAs(reader.token)).toMatchObject({ sessions: [], total: 0 });
  });

  it('lists every session to a key with sessions:manage', async () => {
    const manager = await createApiKey(t, ['sessions:read', 'sessions:manage']);

    const page = await listAs(manager.token);

    expect(page.sessions.map((session: { sessionId: string }) => session.sessionId).sort()).toEqual([sessionOfA, sessionOfB].sort());
  });

  it.each<[string, 'get' | 'post' | 'delete', string, Record<string, unknown> | undefined]>([
    ['read', 'get', '', undefined],
    ['send to', 'post', '/messages', { content: 'hello' }],
    ['read the messages of', 'get', '/messages', undefined],
    ['renew', 'post', '/renew', undefined],
    ['heartbeat', 'post', '/heartbeat', undefined],
    ['end', 'delete', '', undefined],
  ])('answers a key that would %s a session another key created 404, as if it did not exist', async (_action, method, suffix, body) => {
    const request = http(t)[method](`/api/messaging/sessions/${sessionOfB}${suffix}`).set(bearer(keyA.token));
    const response = await (body ? request.send(body) : request);

    expectError(response, 404, 'SessionNotFoundError');
    await http(t).get(`/api/messaging/sessions/${sessionOfB}`).set(bearer(keyB.token)).expect(200);
  });

  // The channel API must not be a side door around session visibility.
  it('does not let another key read the session\'s messages through its channel', async () => {
    const channelOfB = (await http(t).get(`/api/messaging/sessions/${sessionOfB}`).set(admin).expect(200)).body.channelId as string;
    await http(t).post(`/api/messaging/sessions/${sessionOfB}/messages`).set(bearer(keyB.token)).send({ content: 'for B only' }).expect(201);
    const channelReader = await createApiKey(t, ['messaging:read']);

    const response = await http(t).get(`/api/messaging/channels/${channelOfB}/messages`).set(bearer(channelReader.token));

    expectError(response, 404, 'ChannelNotFoundError');
    expect(response.text).not.toContain('for B only');
    expect(response.text).not.toContain(sessionOfB);
  });

  it('lets a key with sessions:manage read a session another key created', async () => {
    const manager = await createApiKey(t, ['sessions:read', 'sessions:manage']);

    await http(t).get(`/api/messaging/sessions/${sessionOfB}`).set(bearer(manager.token)).expect(200);
  });
});

describe('a session token', () => {
  it('is accepted for its session whatever the letter case of the id in the path', async () => {
    const session = await createSession(t);

    await http(t).get(`/api/messaging/sessions/${session.sessionId.toUpperCase()}`).set(bearer(session.token)).expect(200);
  });

  it('is revoked when its session is deleted: 401, and its row is gone', async () => {
    const session = await createSession(t);
    const before = (await storedRows(t, 'session_tokens')).filter((row) => row.session_id === session.sessionId);

    await http(t).delete(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200);

    expect(before).toHaveLength(1);
    expectAuthError(await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)), 401);
    expect((await storedRows(t, 'session_tokens')).filter((row) => row.session_id === session.sessionId)).toEqual([]);
  });

  describe('of a revoked key', () => {
    const sockets = SocketPool.for(() => t);
    const ws = new WsPool(() => t);

    afterEach(async () => {
      sockets.closeAll();
      await ws.closeAll();
    });

    it('is revoked with the key: 401 on HTTP, its Socket.IO and /ws connections dropped, its sessions kept; other keys\' tokens go on', async () => {
      const scopes = ['sessions:create', 'sessions:read', 'sessions:write'];
      const [revoked, kept] = [await createApiKey(t, scopes), await createApiKey(t, scopes)];
      const [session, other] = [await createSession(t, {}, bearer(revoked.token)), await createSession(t, {}, bearer(kept.token))];
      const io = await sockets.connect({ token: session.token });
      const plain = await ws.connect({ token: session.token });
      const dropped = new Promise<string>((resolve) => io.socket.once('disconnect', resolve));

      await http(t).delete(`/api/auth/keys/${revoked.id}`).set(admin).expect(200);

      expectAuthError(await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)), 401);
      expect(await within(dropped, FRAME_TIMEOUT_MS, 'the session token\'s socket to be dropped')).toBe('io server disconnect');
      expect((await within(plain.closed, FRAME_TIMEOUT_MS, 'the session token\'s /ws connection to close')).code).toBe(4401);
      expect((await storedRows(t, 'session_tokens')).filter((row) => row.session_id === session.sessionId)).toEqual([]);
      await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(admin).expect(200);
      await http(t).get(`/api/messaging/sessions/${other.sessionId}`).set(bearer(other.token)).expect(200);
    });
  });

  it('gets 410 SessionExpiredError once its session is past expiresAt', async () => {
    const session = await createSession(t, { timeoutConfig: { timeoutMinutes: 5, autoRenew: false } });

    t.clock.advanceMinutes(6);
    const response = await http(t).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token));
    const send = await http(t).post(`/api/messaging/sessions/${session.sessionId}/messages`).set(bearer(session.token)).send({ content: 'too late' });

    expectError(response, 410, 'SessionExpiredError');
    expect(response.body.details.expiresAt).toBe(session.expiresAt);
    expectError(send, 410, 'SessionExpiredError');
  });
});

describe('how the token is sent', () => {
  it('accepts the Bearer scheme in any letter case', async () => {
    await http(t).get('/api/agents').set('Authorization', `bearer ${ADMIN_TOKEN}`).expect(200);
  });

  it.each([
    ['another scheme', { Authorization: `Basic ${ADMIN_TOKEN}` }],
    ['a bare token', { Authorization: ADMIN_TOKEN }],
    ['an empty Bearer', { Authorization: 'Bearer ' }],
    ['an empty X-API-KEY', { 'X-API-KEY': '' }],
  ])('answers 401 to %s', async (_case, headers) => {
    expectAuthError(await http(t).get('/api/agents').set(headers), 401);
  });

  it('answers 401 to a token in the query string', async () => {
    expectAuthError(await http(t).get('/api/agents').query({ token: ADMIN_TOKEN, api_key: ADMIN_TOKEN }), 401);
  });

  it.each([
    ['with its last character changed', `${ADMIN_TOKEN.slice(0, -1)}${ADMIN_TOKEN.endsWith('f') ? 'e' : 'f'}`],
    ['cut short', ADMIN_TOKEN.slice(0, -1)],
    ['with a character added', `${ADMIN_TOKEN}0`],
    ['in upper case', ADMIN_TOKEN.toUpperCase()],
  ])('answers 401 to the admin token %s', async (_case, token) => {
    expectAuthError(await http(t).get('/api/agents').set(bearer(token)), 401);
  });
});
