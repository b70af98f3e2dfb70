import { admin, bearer, createApiKey, createSession, http } from './utils/fixtures';
import { LogCapture, LogRecord } from './utils/log-capture';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { apiKeyHeader, unknownKeyToken } from './utils-auth/auth-helpers';
import { emitAck, expectOk, SocketPool } from './utils-realtime/sockets';
import { WsPool } from './utils-ws/ws-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_AGENT = '00000000-0000-4000-8000-000000000000';

const isHttp = (requestId: unknown) => (record: LogRecord) => record.context === 'Http' && record.requestId === requestId;

/** The describe block's own app, started with `env`, its log lines captured instead of written to stdout. */
function appLoggingTo(env: Record<string, string>): { logs: LogCapture; t: () => TestApp } {
  const logs = new LogCapture();
  let app: TestApp | undefined;

  beforeAll(async () => {
    app = await createTestApp({ env, override: logs.override });
  });

  afterAll(async () => {
    await app?.close();
  });

  return { logs, t: () => app! };
}

describe('logs in production (LOG_FORMAT=json)', () => {
  const { logs, t } = appLoggingTo({ LOG_FORMAT: 'json', LOG_LEVEL: 'verbose' });
  const sockets = SocketPool.for(t);
  const ws = new WsPool(t);

  afterEach(async () => {
    sockets.closeAll();
    await ws.closeAll();
  });

  it('writes every line as one JSON object, Nest\'s own entries included', () => {
    const records = logs.records();

    expect(records.length).toBeGreaterThan(0);
    expect(records).toContainEqual(expect.objectContaining({ level: expect.any(Number), context: 'RouterExplorer', msg: expect.stringContaining('Mapped {/livez, GET} route') }));
    expect(logs.lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
  });

  describe('one line per HTTP request', () => {
    it('names the method, route pattern, status, duration, request id and principal, and returns the id as X-Request-Id', async () => {
      const agent = await http(t()).post('/api/agents').set(admin).send({ name: 'logged' }).expect(201);
      const response = await http(t()).get(`/api/agents/${agent.body.id}`).set(admin).expect(200);
      const requestId = response.headers['x-request-id'];

      const lines = await logs.waitFor(isHttp(requestId));

      expect(requestId).toMatch(UUID);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'GET /api/agents/:agentId 200',
          method: 'GET',
          route: '/api/agents/:agentId',
          url: `/api/agents/${agent.body.id}`,
          status: 200,
          durationMs: expect.any(Number),
          principal: 'api-key:SWITCHBOARD_ADMIN_TOKEN',
        }),
      ]);
    });

    it('names a session token by its session and an API key by its id', async () => {
      const key = await createApiKey(t(), ['sessions:create', 'sessions:read']);
      const session = await createSession(t(), {}, bearer(key.token));
      const byKey = await http(t()).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(key.token)).expect(200);
      const bySession = await http(t()).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)).expect(200);

      const [keyLine] = await logs.waitFor(isHttp(byKey.headers['x-request-id']));
      const [sessionLine] = await logs.waitFor(isHttp(bySession.headers['x-request-id']));

      expect(keyLine).toMatchObject({ route: '/api/messaging/sessions/:sessionId', principal: `api-key:${key.id}` });
      expect(sessionLine).toMatchObject({ route: '/api/messaging/sessions/:sessionId', principal: `session:${session.sessionId}` });
    });

    it.each([
      ['an error envelope', `/api/agents/${UNKNOWN_AGENT}`, admin, 404, '/api/agents/:agentId'],
      ['a refused token', '/api/agents', {}, 401, '/api/agents'],
      ['a path no route serves', '/no-such-route', {}, 404, undefined],
      ['an open probe', '/livez', {}, 200, '/livez'],
    ])('gives %s an X-Request-Id, the one it logs', async (_case, path, headers, status, route) => {
      const response = await http(t()).get(path).set(headers).expect(status);
      const requestId = response.headers['x-request-id'];

      const [line] = await logs.waitFor(isHttp(requestId));

      expect(requestId).toMatch(UUID);
      expect(line).toMatchObject({ status, url: path });
      expect(line!.route).toBe(route);
    });

    it.each([
      ['a UUID', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'],
      ['a gateway\'s trace id', 'Root=1-67891233-abcdef012345678912345678'],
    ])('echoes an incoming X-Request-Id that is sane (%s), on success and on error', async (_case, incoming) => {
      const ok = await http(t()).get('/api/agents').set(admin).set('X-Request-Id', incoming).expect(200);
      const refused = await http(t()).get('/api/agents').set('X-Request-Id', incoming).expect(401);

      expect([ok.headers['x-request-id'], refused.headers['x-request-id']]).toEqual([incoming, incoming]);
      expect((await logs.waitFor(isHttp(incoming), 2)).map((line) => line.status)).toEqual([200, 401]);
    });

    it.each([
      ['over 128 characters', 'r'.repeat(129)],
      ['holding a tab', 'abc\tdef'],
      ['not ASCII', 'req-\u00e9'],
    ])('replaces an incoming X-Request-Id %s with one of its own', async (_case, incoming) => {
      const response = await http(t()).get('/api/agents').set(admin).set('X-Request-Id', incoming).expect(200);
      const requestId = response.headers['x-request-id'];

      expect(requestId).toMatch(UUID);
      await logs.waitFor(isHttp(requestId));
      expect(logs.text).not.toContain(incoming);
    });

    it('redacts a credential in the query string of the logged URL', async () => {
      const secret = unknownKeyToken();
      const response = await http(t()).get(`/api/agents?limit=5&token=${secret}`).set(admin);

      const [line] = await logs.waitFor(isHttp(response.headers['x-request-id']));

      expect(line!.url).toBe('/api/agents?limit=5&token=[Redacted]');
      expect(logs.text).not.toContain(secret);
    });
  });

  describe('one line per socket event', () => {
    it('logs each Socket.IO handshake and event with the socket id, outcome and duration', async () => {
      const session = await createSession(t());
      const client = await sockets.connect({ token: session.token });
      const socketId = client.socket.id;
      await expectOk(client.socket, 'join', { roomId: session.sessionId });
      const failed = await emitAck(client.socket, 'join', { roomId: UNKNOWN_AGENT });

      const lines = await logs.waitFor((record) => record.context === 'SocketIo' && record.socketId === socketId, 3);

      expect(lines).toEqual([
        expect.objectContaining({ msg: 'connect ok', event: 'connect', outcome: 'ok', principal: `session:${session.sessionId}`, durationMs: expect.any(Number) }),
        expect.objectContaining({ msg: 'join ok', event: 'join', outcome: 'ok', principal: `session:${session.sessionId}`, durationMs: expect.any(Number) }),
        expect.objectContaining({ event: 'join', outcome: failed.code, durationMs: expect.any(Number) }),
      ]);
      expect(failed).toMatchObject({ ok: false, code: expect.any(String) });
    });

    it('logs an event refused for its scope, and an unknown one, with the code the client got', async () => {
      const key = await createApiKey(t(), ['agents:read']);
      const client = await sockets.connect({ token: key.token });
      const socketId = client.socket.id;
      const refused = await emitAck(client.socket, 'join', { roomId: UNKNOWN_AGENT });
      const unknown = await emitAck(client.socket, 'no-such-event', {});

      const lines = await logs.waitFor((record) => record.context === 'SocketIo' && record.socketId === socketId && record.event !== 'connect', 2);

      expect(lines).toEqual([
        expect.objectContaining({ event: 'join', outcome: refused.code, principal: `api-key:${key.id}` }),
        expect.objectContaining({ event: 'no-such-event', outcome: unknown.code }),
      ]);
      expect([refused.code, unknown.code]).toEqual(['FORBIDDEN', 'VALIDATION_ERROR']);
    });

    it('logs each /ws handshake and frame with the client id, outcome and duration', async () => {
      const client = await ws.connect({ token: ADMIN_TOKEN });
      const { clientId } = client.all((frame) => frame.type === 'connected')[0]!.data as { clientId: string };
      await client.call({ type: 'ping' });
      await client.call({ type: 'no_such_type' });

      const lines = await logs.waitFor((record) => record.context === 'WebSocket' && record.socketId === clientId, 3);

      expect(lines).toEqual([
        expect.objectContaining({ event: 'connect', outcome: 'ok', principal: 'api-key:SWITCHBOARD_ADMIN_TOKEN', durationMs: expect.any(Number) }),
        expect.objectContaining({ msg: 'ping ok', event: 'ping', outcome: 'ok', durationMs: expect.any(Number) }),
        expect.objectContaining({ event: 'no_such_type', outcome: 'INVALID_MESSAGE' }),
      ]);
    });
  });

  it('never writes a credential: bearer tokens, X-API-KEY, new keys, /ws ?token= and Socket.IO handshake tokens, accepted or refused', async () => {
    const unknown = unknownKeyToken();
    const created = await http(t()).post('/api/auth/keys').set(admin).send({ name: 'secret-keeper', scopes: ['admin'] }).expect(201);
    const key: string = created.body.token;
    const session = await createSession(t(), {}, bearer(key));
    const secrets = [ADMIN_TOKEN, unknown, key, session.token];

    await http(t()).get('/api/agents').set(bearer(unknown)).expect(401);
    await http(t()).get('/api/agents').set(apiKeyHeader(unknown)).expect(401);
    await http(t()).get('/api/agents').set(apiKeyHeader(key)).expect(200);
    await http(t()).get(`/api/messaging/sessions/${session.sessionId}`).set(bearer(session.token)).expect(200);
    await http(t()).get(`/api/messaging/sessions/${session.sessionId}`).set('Cookie', `sid=${unknown}`).expect(401);
    await http(t()).get(`/api/agents?apiKey=${unknown}`).expect(401);
    await (await ws.connect({ token: key, via: 'query' })).close();
    const refusedWs = await ws.open({ token: unknown, via: 'query' });
    await refusedWs.closed;
    await sockets.connect({ token: session.token });
    await sockets.refusal({ token: unknown });
    await sockets.refusal({ headers: { Authorization: `Bearer ${unknown}` } });

    await logs.waitFor((record) => record.context === 'WebSocket' && record.outcome === 'UNAUTHORIZED');
    await logs.waitFor((record) => record.context === 'SocketIo' && record.event === 'connect' && record.outcome === 'UNAUTHORIZED', 2);
    expect(secrets.filter((secret) => logs.text.includes(secret))).toEqual([]);
  });
});

describe('logs in development (LOG_FORMAT=pretty)', () => {
  const { logs, t } = appLoggingTo({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'log' });

  it('writes a readable line per request, with its request id', async () => {
    const response = await http(t()).get('/api/agents').set(admin).expect(200);
    const requestId = response.headers['x-request-id'];

    await logs.waitUntil(() => logs.text.includes(requestId), 'the request\'s line');
    const line = logs.lines.find((l) => l.includes(requestId))!;

    expect(line).toMatch(new RegExp(`^\\d{2}:\\d{2}:\\d{2}\\.\\d{3}     LOG \\[Http\\] GET /api/agents 200 requestId=${requestId} method=GET route=/api/agents .*principal=api-key:SWITCHBOARD_ADMIN_TOKEN\\n$`));
  });
});

describe('logs below LOG_LEVEL=log', () => {
  const { logs, t } = appLoggingTo({ LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });

  it('write no request lines, and still return X-Request-Id', async () => {
    const response = await http(t()).get('/api/agents').set(admin).expect(200);
    await http(t()).get('/livez').expect(200);

    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(logs.records((record) => record.context === 'Http')).toEqual([]);
  });
});
