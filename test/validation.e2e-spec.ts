import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Response, Test } from 'supertest';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { SocketPool } from './utils-realtime/sockets';
import { WsPool } from './utils-ws/ws-client';

const SESSIONS = '/api/messaging/sessions';

interface ErrorBody {
  error: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

interface MessagePageBody {
  messages: Array<{ id: string; content: string; metadata: Record<string, unknown> }>;
}

/** The response is exactly the error envelope, with the expected status and class, and leaks no internals. */
function expectEnvelope(response: Response, status: number, error: string): ErrorBody {
  expect({ status: response.status, error: (response.body as Partial<ErrorBody>).error }).toEqual({ status, error });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.body as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'error', 'message']);
  expect(body.code).toMatch(/^[A-Z][A-Z_]+$/);
  expect(body.message).toEqual(expect.any(String));
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.details).toEqual(expect.any(Object));
  expectNoLeak(response.text);
  return body;
}

function expectNoLeak(text: string): void {
  expect(text).not.toMatch(/\bat .+[\\/].+:\d+:\d+/);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('node_modules');
  expect(text).not.toMatch(/QueryFailedError|SqliteError|SQLITE_|duplicate key|violates/i);
}

/** n levels of nested objects: depth 1 is `{ level1: 'leaf' }`. */
function nested(levels: number): Record<string, unknown> {
  let value: unknown = 'leaf';
  for (let level = levels; level >= 1; level--) value = { [`level${level}`]: value };
  return value as Record<string, unknown>;
}

/** A metadata object whose JSON is exactly `bytes` bytes long. */
function metadataOfBytes(bytes: number): Record<string, unknown> {
  const metadata = { pad: 'x'.repeat(bytes - '{"pad":""}'.length) };
  expect(Buffer.byteLength(JSON.stringify(metadata))).toBe(bytes);
  return metadata;
}

describe('Validation and the error envelope', () => {
  let t: TestApp;
  let agentId: string;
  let sessionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    agentId = (await createAgent(t)).id;
    sessionId = (await createSession(t, { agentId })).sessionId;
  });

  afterAll(async () => {
    await t.close();
  });

  /** A session whose agent is then deactivated, so no agent reply joins the messages a test counts. */
  const quietSession = async () => {
    const session = await createSession(t);
    await http(t).patch(`/api/agents/${session.agentId as string}`).set(admin).send({ status: 'inactive' }).expect(200);
    return session.sessionId;
  };

  const storedMessages = async (id: string) => ((await http(t).get(`${SESSIONS}/${id}/messages`).set(admin).expect(200)).body as MessagePageBody).messages;

  const postJson = (url: string, raw: string) => http(t).post(url).set(admin).set('Content-Type', 'application/json').send(raw);

  describe('requests Node\'s HTTP parser refuses before any route', () => {
    /** Sends raw bytes and reads the whole answer: status line, and the body after the blank line. */
    const rawExchange = async (raw: string) => {
      const { port } = new URL(await t.app.getUrl());
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
        let received = '';
        socket.setEncoding('utf8').on('data', (chunk) => (received += chunk)).on('end', () => resolve(received)).on('error', reject);
      });
      const [head, body] = text.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r]+)/i.exec(head)?.[1], body: JSON.parse(body) as ErrorBody };
    };

    it.each([
      ['headers over 16 KB', `GET /api/agents HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
      ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400],
    ])('answers %s with the error envelope (%s)', async (_label, raw, status) => {
      const answer = await rawExchange(raw);

      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ error: 'RequestError', code: 'BAD_REQUEST', message: expect.any(String), details: {} });
    });
  });

  describe('malformed bodies', () => {
    const bodyRoutes: Array<[string, () => string, 'post' | 'patch']> = [
      ['POST /api/agents', () => '/api/agents', 'post'],
      ['POST /sessions', () => SESSIONS, 'post'],
      ['POST /sessions/:id/messages', () => `${SESSIONS}/${sessionId}/messages`, 'post'],
      ['PATCH /sessions/:id/timeout', () => `${SESSIONS}/${sessionId}/timeout`, 'patch'],
    ];

    it.each(bodyRoutes)('answers malformed JSON on %s with 400 MalformedJsonError', async (_label, url, method) => {
      for (const raw of ['{"content": "hi"', '{"content": "hi",}', "{'content': 'hi'}", '"just a string"']) {
        const response = await http(t)[method](url()).set(admin).set('Content-Type', 'application/json').send(raw);
        const body = expectEnvelope(response, 400, 'MalformedJsonError');
        expect(body.code).toBe('MALFORMED_JSON');
      }
    });

    it('answers a body over 256 KB with 413 PayloadTooLargeError, before any other check', async () => {
      const response = await http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x'.repeat(257 * 1024) });

      const body = expectEnvelope(response, 413, 'PayloadTooLargeError');
      expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 256 * 1024 } });
    });

    it('judges a large body under 256 KB by its fields: over-long content is 400 InvalidContentError', async () => {
      const response = await http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x'.repeat(200 * 1024) });

      expectEnvelope(response, 400, 'InvalidContentError');
    });

    it.each([
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'content=hello'],
    ])('answers a %s body with 415 UnsupportedMediaTypeError and stores nothing', async (contentType, raw) => {
      const quiet = await quietSession();

      const response = await http(t).post(`${SESSIONS}/${quiet}/messages`).set(admin).set('Content-Type', contentType).send(raw);

      const body = expectEnvelope(response, 415, 'UnsupportedMediaTypeError');
      expect(body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { contentType } });
      expect(await storedMessages(quiet)).toEqual([]);
    });

    it('takes JSON with a charset, and a bodiless POST whatever its Content-Type says', async () => {
      const quiet = await quietSession();

      await http(t).post(`${SESSIONS}/${quiet}/messages`).set(admin).set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ content: 'hi' })).expect(201);
      await http(t).post(`${SESSIONS}/${quiet}/heartbeat`).set(admin).set('Content-Type', 'text/plain').expect(200);
    });
  });

  describe('wrong types', () => {
    it.each<[string, () => Test, string]>([
      ['content: 5', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 5 }), 'InvalidContentError'],
      ['content: ["a"]', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: ['a'] }), 'InvalidContentError'],
      ['metadata: "text"', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', metadata: 'text' }), 'InvalidMetadataError'],
      ['metadata: [1, 2]', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', metadata: [1, 2] }), 'InvalidMetadataError'],
      ['attachments: "file"', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', attachments: 'file' }), 'ValidationError'],
      ['attachments[0].url not a URL', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', attachments: [{ type: 'image', url: 'nope' }] }), 'ValidationError'],
      ['agentId: 5', () => http(t).post(SESSIONS).set(admin).send({ agentId: 5, userId: 'user-1' }), 'InvalidUuidError'],
      ['agentId: "agent-123"', () => http(t).post(SESSIONS).set(admin).send({ agentId: 'agent-123', userId: 'user-1' }), 'InvalidUuidError'],
      ['userId: 5', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 5 }), 'ValidationError'],
      ['timeoutConfig: "long"', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', timeoutConfig: 'long' }), 'InvalidTimeoutConfigError'],
      ['timeoutConfig.timeoutMinutes: "30"', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', timeoutConfig: { timeoutMinutes: '30' } }), 'InvalidTimeoutConfigError'],
      ['timeoutConfig.autoRenew: "yes"', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', timeoutConfig: { autoRenew: 'yes' } }), 'InvalidTimeoutConfigError'],
      ['PATCH timeoutMinutes: 12.5', () => http(t).patch(`${SESSIONS}/${sessionId}/timeout`).set(admin).send({ timeoutMinutes: 12.5 }), 'InvalidTimeoutConfigError'],
      ['agent name: 5', () => http(t).post('/api/agents').set(admin).send({ name: 5 }), 'ValidationError'],
      ['messages limit=abc', () => http(t).get(`${SESSIONS}/${sessionId}/messages?limit=abc`).set(admin), 'InvalidPaginationError'],
      ['messages before=yesterday', () => http(t).get(`${SESSIONS}/${sessionId}/messages?before=yesterday`).set(admin), 'InvalidPaginationError'],
      ['messages before= (empty, not 0)', () => http(t).get(`${SESSIONS}/${sessionId}/messages?before=`).set(admin), 'InvalidPaginationError'],
      ['messages after= (empty)', () => http(t).get(`${SESSIONS}/${sessionId}/messages?after=%20`).set(admin), 'InvalidPaginationError'],
      ['messages before twice', () => http(t).get(`${SESSIONS}/${sessionId}/messages?before=5&before=6`).set(admin), 'InvalidPaginationError'],
      ['sessions offset= (empty)', () => http(t).get(`${SESSIONS}?offset=`).set(admin), 'InvalidPaginationError'],
    ])('answers %s with 400 %s', async (_label, request, error) => {
      expectEnvelope(await request(), 400, error);
    });

    it('refuses attachments that are arrays of arrays with 400', async () => {
      const quiet = await quietSession();

      for (const attachments of [[[]], [[{ type: 'image', url: 'https://files.example.com/cat.png' }]]]) {
        const response = await http(t).post(`${SESSIONS}/${quiet}/messages`).set(admin).send({ content: 'x', attachments });
        expectEnvelope(response, 400, 'ValidationError');
      }
      expect(await storedMessages(quiet)).toEqual([]);
    });

    it('lists every offending field in details.fields', async () => {
      const response = await http(t).post(SESSIONS).set(admin).send({ agentId, userId: 5, metadata: 'x' });

      const body = expectEnvelope(response, 400, 'InvalidMetadataError');
      expect(Object.keys(body.details.fields as Record<string, unknown>).sort()).toEqual(['metadata', 'userId']);
    });
  });

  it('answers a body nested 10,000 levels deep with 400, not 500', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const requests: Array<[string, string]> = [
      [`${SESSIONS}/${sessionId}/messages`, `{"content":"x","metadata":{"a":${deep}}}`],
      [`${SESSIONS}/${sessionId}/messages`, `{"content":"x","unknown":${deep}}`],
      [SESSIONS, `{"agentId":"${agentId}","userId":"user-1","metadata":{"a":${deep}}}`],
      ['/api/agents', `{"name":"deep-${randomUUID()}","settings":${deep}}`],
    ];

    for (const [url, raw] of requests) {
      const response = await postJson(url, raw);
      expect(response.status, url).toBe(400);
      expectEnvelope(response, 400, (response.body as ErrorBody).error);
    }
  });

  describe('missing fields', () => {
    it.each<[string, () => Test, string[]]>([
      ['create session {}', () => http(t).post(SESSIONS).set(admin).send({}), ['agentId', 'userId']],
      ['create session without agentId', () => http(t).post(SESSIONS).set(admin).send({ userId: 'user-1' }), ['agentId']],
      ['send message {}', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({}), ['content']],
      ['send message with content null', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: null }), ['content']],
      ['create agent {}', () => http(t).post('/api/agents').set(admin).send({}), ['name']],
    ])('answers %s with 400 MissingFieldsError naming the fields', async (_label, request, missing) => {
      const body = expectEnvelope(await request(), 400, 'MissingFieldsError');

      expect(body.code).toBe('MISSING_FIELDS');
      expect(body.details.missingFields).toEqual(missing);
    });
  });

  describe('message content: 1 to 10,000 characters', () => {
    it.each([
      ['empty', ''],
      ['blank', ' \n\t '],
      ['10,001 characters', 'x'.repeat(10_001)],
    ])('refuses %s content with 400 InvalidContentError and stores nothing', async (_label, content) => {
      const quiet = await quietSession();

      const response = await http(t).post(`${SESSIONS}/${quiet}/messages`).set(admin).send({ content });

      expect(expectEnvelope(response, 400, 'InvalidContentError').code).toBe('INVALID_CONTENT');
      expect(await storedMessages(quiet)).toEqual([]);
    });

    it.each([
      ['1 character', 'x'],
      ['10,000 characters', 'x'.repeat(10_000)],
      ['10,000 emoji (characters, not bytes)', '😀'.repeat(10_000)],
    ])('accepts %s (201) and stores it unchanged', async (_label, content) => {
      const quiet = await quietSession();

      const response = await http(t).post(`${SESSIONS}/${quiet}/messages`).set(admin).send({ content }).expect(201);

      expect((response.body as { content: string }).content).toBe(content);
      expect((await storedMessages(quiet)).map((m) => m.content)).toEqual([content]);
    });
  });

  describe('metadata: at most 16 KB of JSON and 5 levels deep', () => {
    const createWith = (metadata: unknown) => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', metadata });
    const sendWith = (metadata: unknown) => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', metadata });

    it.each([
      ['create session', createWith],
      ['send message', sendWith],
    ])('on %s: accepts exactly 16 KB and 5 levels, refuses 16 KB + 1 byte and 6 levels with 400 InvalidMetadataError', async (_label, request) => {
      const atLimit = metadataOfBytes(16 * 1024);
      const overLimit = metadataOfBytes(16 * 1024 + 1);

      expect((await request(atLimit)).status).toBe(201);
      expect((await request(nested(5))).status).toBe(201);
      expectEnvelope(await request(overLimit), 400, 'InvalidMetadataError');
      expectEnvelope(await request(nested(6)), 400, 'InvalidMetadataError');
    });

    it('stores accepted metadata as sent', async () => {
      const metadata = { ...nested(5), list: [1, 'two', { three: 3 }], flag: false, nothing: null, number: 1.5 };

      const response = await createWith(metadata).expect(201);

      expect((response.body as { metadata: unknown }).metadata).toEqual(metadata);
    });

    it('keeps metadata keys that happen to name Object.prototype methods', async () => {
      const metadata = { toString: 'custom', valueOf: 3, hasOwnProperty: true, kept: 'yes' };

      const created = await createWith(metadata).expect(201);
      const sent = await sendWith(metadata).expect(201);

      expect((created.body as { metadata: unknown }).metadata).toEqual(metadata);
      expect((sent.body as { metadata: unknown }).metadata).toEqual(metadata);
    });
  });

  describe('ids in paths are UUIDs', () => {
    const routes: Array<[string, (id: string) => Test]> = [
      ['GET /sessions/:id', (id) => http(t).get(`${SESSIONS}/${id}`).set(admin)],
      ['DELETE /sessions/:id', (id) => http(t).delete(`${SESSIONS}/${id}`).set(admin)],
      ['POST /sessions/:id/messages', (id) => http(t).post(`${SESSIONS}/${id}/messages`).set(admin).send({ content: 'x' })],
      ['GET /sessions/:id/messages', (id) => http(t).get(`${SESSIONS}/${id}/messages`).set(admin)],
      ['POST /sessions/:id/renew', (id) => http(t).post(`${SESSIONS}/${id}/renew`).set(admin)],
      ['PATCH /sessions/:id/timeout', (id) => http(t).patch(`${SESSIONS}/${id}/timeout`).set(admin).send({ timeoutMinutes: 30 })],
      ['POST /sessions/:id/heartbeat', (id) => http(t).post(`${SESSIONS}/${id}/heartbeat`).set(admin)],
    ];

    it.each(routes)('answers %s with a non-UUID id with 400 InvalidUuidError', async (_label, request) => {
      for (const id of ['not-a-uuid', '12345', `${randomUUID()}x`, 'session-789', 's'.repeat(300)]) {
        const body = expectEnvelope(await request(id), 400, 'InvalidUuidError');
        // An over-long id is echoed cut to 64 characters.
        expect(body).toMatchObject({ code: 'INVALID_UUID', details: { sessionId: id.slice(0, 64) } });
      }
    });
  });

  describe('URLs the router refuses before any route', () => {
    it.each([
      ['a path segment over 2,048 characters', `${SESSIONS}/${'s'.repeat(3_000)}`, 414, 'UriTooLongError'],
      ['a percent-encoded sequence that does not decode', `${SESSIONS}/%E0%A4%A-secret`, 400, 'ValidationError'],
    ])('answers %s with the envelope, echoing nothing of the URL', async (_label, url, status, error) => {
      const response = await http(t).get(url).set(admin);

      expectEnvelope(response, status, error);
      expect(response.text).not.toContain('sss');
      expect(response.text).not.toContain('secret');
    });
  });

  describe('unknown properties', () => {
    it.each<[string, () => Test, string]>([
      ['create session', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', sessionId: randomUUID() }), 'sessionId'],
      ['create session timeoutConfig', () => http(t).post(SESSIONS).set(admin).send({ agentId, userId: 'user-1', timeoutConfig: { timeoutMinutez: 30 } }), 'timeoutConfig.timeoutMinutez'],
      ['send message', () => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'x', authorId: 'someone-else' }), 'authorId'],
      ['PATCH timeout', () => http(t).patch(`${SESSIONS}/${sessionId}/timeout`).set(admin).send({ renewalCount: 0 }), 'renewalCount'],
      ['create agent', () => http(t).post('/api/agents').set(admin).send({ name: `agent-${randomUUID()}`, id: randomUUID() }), 'id'],
      ['list query', () => http(t).get(`${SESSIONS}?sort=asc`).set(admin), 'sort'],
    ])('answers an unknown property on %s with 400, naming it', async (_label, request, field) => {
      const response = await request();

      expect(response.status).toBe(400);
      const body = expectEnvelope(response, 400, (response.body as ErrorBody).error);
      expect(body.details.fields).toHaveProperty([field]);
    });
  });

  // PostgreSQL refuses a NUL in text and stores a lone surrogate as U+FFFD; SQLite keeps both. One rule for both: refused.
  describe('text no database stores as sent, and numbers too large to read exactly', () => {
    const sockets = SocketPool.for(() => t);
    const ws = new WsPool(() => t);

    afterEach(async () => {
      sockets.closeAll();
      await ws.closeAll();
    });

    it.each([
      ['a NUL in message content', 'a\u0000b', 'content'],
      ['a lone surrogate in message content', 'a\ud800b', 'content'],
      ['a NUL in metadata', 'fine', 'metadata.note'],
    ])('refuses %s with 400 ValidationError naming the field, and stores nothing', async (_label, text, field) => {
      const id = await quietSession();
      const body = field === 'content' ? { content: text } : { content: text, metadata: { note: 'x\u0000' } };

      const response = await http(t).post(`${SESSIONS}/${id}/messages`).set(admin).send(body);

      expect(expectEnvelope(response, 400, 'ValidationError').details).toMatchObject({ field });
      expect(await storedMessages(id)).toEqual([]);
    });

    it.each([
      ['a userId with a NUL', () => http(t).post(SESSIONS).set(admin).send({ userId: 'a\u0000b', agentId })],
      ['an agent name with a NUL', () => http(t).post('/api/agents').set(admin).send({ name: 'bot\u0000' })],
      ['an agent name with a lone surrogate', () => http(t).post('/api/agents').set(admin).send({ name: 'bot\udc00' })],
      ['a userId filter with a NUL', () => http(t).get(SESSIONS).query({ userId: 'a\u0000b' }).set(admin)],
    ])('refuses %s with 400 on every database', async (_label, request) => {
      expectEnvelope(await request(), 400, 'ValidationError');
    });

    it.each([
      ['an offset past any bigint', () => http(t).get(SESSIONS).query({ offset: '99999999999999999999' }).set(admin)],
      ['an offset JavaScript would round', () => http(t).get(SESSIONS).query({ offset: '9007199254740993' }).set(admin)],
      ['a before cursor past any date', () => http(t).get(`${SESSIONS}/${sessionId}/messages`).query({ before: '99999999999999999999' }).set(admin)],
      ['an after cursor past any date', () => http(t).get(`${SESSIONS}/${sessionId}/messages`).query({ after: '8640000000000001' }).set(admin)],
    ])('refuses %s with 400 InvalidPaginationError, never a 500', async (_label, request) => {
      expectEnvelope(await request(), 400, 'InvalidPaginationError');
    });

    it('still pages with the largest offset and cursor it accepts', async () => {
      await http(t).get(SESSIONS).query({ offset: String(Number.MAX_SAFE_INTEGER) }).set(admin).expect(200);
      await http(t).get(`${SESSIONS}/${sessionId}/messages`).query({ before: '8640000000000000' }).set(admin).expect(200);
    });

    it('refuses the same text on Socket.IO and /ws, storing nothing', async () => {
      const id = await quietSession();
      const io = await sockets.connect({ token: ADMIN_TOKEN });
      const plain = await ws.connect({ token: ADMIN_TOKEN });

      const ack = await io.socket.timeout(5_000).emitWithAck('message', { text: 'a\u0000b', roomId: id });
      const frame = await plain.call({ type: 'chat', data: { message: 'a\ud800b', conversationId: id } });

      expect(ack).toMatchObject({ ok: false, error: 'ValidationError', details: { field: 'text' } });
      expect(frame).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE' } });
      expect(await storedMessages(id)).toEqual([]);
    });
  });

  describe('unknown routes', () => {
    it.each<[string, () => Test]>([
      ['GET /api/nope', () => http(t).get('/api/nope').set(admin)],
      ['GET /api/nope without a token', () => http(t).get('/api/nope')],
      ['POST /sessions/:id/nope', () => http(t).post(`${SESSIONS}/${sessionId}/nope`).set(admin).send({})],
      ['PUT /sessions/:id', () => http(t).put(`${SESSIONS}/${sessionId}`).set(admin).send({})],
    ])('answers %s with the 404 envelope', async (_label, request) => {
      expect(expectEnvelope(await request(), 404, 'NotFoundError').code).toBe('NOT_FOUND');
    });
  });
});
