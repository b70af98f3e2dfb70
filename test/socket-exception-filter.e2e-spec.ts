import { randomUUID } from 'node:crypto';
import { createApiKey, createSession } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createChannel } from './utils-realtime/rest';
import { ClientSocket, emitAck, expectOk, SocketPool } from './utils-realtime/sockets';

const SEND_MESSAGE = 2;
const envelope = (error: string, code: string, details: Record<string, unknown> = {}) => ({
  ok: false,
  error,
  code,
  message: expect.any(String),
  details: expect.objectContaining(details),
});

/** The one exception filter of the Socket.IO gateway: every failure of an event answers the error envelope, and the socket stays. */
describe('Socket.IO exception filter', () => {
  let t: TestApp;
  const sockets = SocketPool.for(() => t);

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(() => sockets.closeAll());

  afterAll(async () => {
    await t.close();
  });

  /** The socket still answers, and still sends: what a failure must not have broken. */
  const expectStillWorking = async (client: ClientSocket, roomId: string) => {
    await expectOk(client.socket, 'join', { roomId });
    const sent = await expectOk(client.socket, 'message', { text: 'still working', roomId });
    expect(client.socket.connected).toBe(true);
    expect(sent.roomId).toBe(roomId);
  };

  describe('a payload its DTO refuses', () => {
    it('answers the envelope in the ack, naming the field, with the class and code HTTP would use', async () => {
      const channel = await createChannel(t);
      const client = await sockets.connect({ token: ADMIN_TOKEN });

      const notUuid = await emitAck(client.socket, 'join', { roomId: 'lobby' });
      const tooLong = await emitAck(client.socket, 'message', { type: SEND_MESSAGE, payload: { message: 'x'.repeat(10_001), roomId: channel.id } });
      const wrongType = await emitAck(client.socket, 'typing', { roomId: channel.id, isTyping: 'yes' });

      expect(notUuid).toEqual(envelope('ValidationError', 'VALIDATION_ERROR', { fields: { roomId: [expect.any(String)] } }));
      expect(tooLong).toEqual(envelope('InvalidContentError', 'INVALID_CONTENT', { fields: { text: [expect.any(String)] } }));
      expect(wrongType).toEqual(envelope('ValidationError', 'VALIDATION_ERROR', { fields: { isTyping: [expect.any(String)] } }));
      await expectStillWorking(client, channel.id);
    });

    it('refuses text no database stores as sent (a NUL), naming where it is', async () => {
      const channel = await createChannel(t);
      const client = await sockets.connect({ token: ADMIN_TOKEN });

      const refused = await emitAck(client.socket, 'message', { text: 'a\u0000b', roomId: channel.id });

      expect(refused).toEqual(envelope('ValidationError', 'VALIDATION_ERROR', { field: 'text', reason: 'NUL character' }));
      await expectStillWorking(client, channel.id);
    });

    it('emits the same envelope as an `error` event when the client sent no ack callback', async () => {
      const channel = await createChannel(t);
      const client = await sockets.connect({ token: ADMIN_TOKEN });

      client.socket.emit('join', { roomId: 'lobby' });
      const [error] = await client.log.waitFor('error');

      expect(error).toEqual(envelope('ValidationError', 'VALIDATION_ERROR', { fields: { roomId: [expect.any(String)] } }));
      await expectStillWorking(client, channel.id);
    });
  });

  describe('a domain error', () => {
    it('answers SessionExpiredError (410) with details.expiresAt in the ack and as `error` without one; the socket stays connected', async () => {
      const session = await createSession(t, { timeoutConfig: { timeoutMinutes: 5, maxDurationMinutes: 5 } });
      const client = await sockets.connect({ token: session.token });
      await expectOk(client.socket, 'join', { roomId: session.sessionId });
      t.clock.advanceMinutes(6);

      const acked = await emitAck(client.socket, 'message', { text: 'too late', roomId: session.sessionId });
      client.socket.emit('message', { text: 'too late, no ack', roomId: session.sessionId });
      const [emitted] = await client.log.waitFor('error');
      const state = await expectOk(client.socket, 'request-world-state', {});

      const expired = envelope('SessionExpiredError', 'SESSION_EXPIRED', { sessionId: session.sessionId, expiresAt: expect.stringMatching(/Z$/) });
      expect(acked).toEqual(expired);
      expect(emitted).toEqual(expired);
      expect(client.socket.connected).toBe(true);
      expect(state.socketId).toBe(client.socket.id);
    });

    it('answers a session that is not its own as SessionNotFoundError (404) and an unknown room as ChannelNotFoundError (404)', async () => {
      const [session, theirs] = [await createSession(t), await createSession(t)];
      const channel = await createChannel(t);
      const own = await sockets.connect({ token: session.token });
      const adminClient = await sockets.connect({ token: ADMIN_TOKEN });

      const unknownSession = await emitAck(own.socket, 'join', { roomId: theirs.sessionId });
      const unknownRoom = await emitAck(adminClient.socket, 'message', { text: 'anyone?', roomId: randomUUID() });

      expect(unknownSession).toEqual(envelope('SessionNotFoundError', 'SESSION_NOT_FOUND'));
      expect(unknownRoom).toEqual(envelope('ChannelNotFoundError', 'CHANNEL_NOT_FOUND'));
      await expectOk(own.socket, 'join', { roomId: session.sessionId });
      await expectStillWorking(adminClient, channel.id);
    });
  });

  describe('scopes declared on the events', () => {
    it('refuses every room event to a key holding no room scope (403 naming the scopes), before the payload is looked at', async () => {
      const key = await createApiKey(t, ['agents:read']);
      const client = await sockets.connect({ token: key.token });
      const channel = await createChannel(t);
      const readScopes = { requiredScopes: ['sessions:read', 'messaging:read'] };

      const refused = {
        join: await emitAck(client.socket, 'join', { roomId: channel.id }),
        leave: await emitAck(client.socket, 'leave', { roomId: channel.id }),
        typing: await emitAck(client.socket, 'typing', { roomId: 'not even a uuid' }),
        world: await emitAck(client.socket, 'request-world-state'),
        message: await emitAck(client.socket, 'message', { text: 'hi', roomId: channel.id }),
      };

      expect(refused).toEqual({
        join: envelope('ForbiddenError', 'FORBIDDEN', readScopes),
        leave: envelope('ForbiddenError', 'FORBIDDEN', readScopes),
        typing: envelope('ForbiddenError', 'FORBIDDEN', readScopes),
        world: envelope('ForbiddenError', 'FORBIDDEN', readScopes),
        message: envelope('ForbiddenError', 'FORBIDDEN', { requiredScopes: ['sessions:read', 'messaging:read', 'sessions:write', 'messaging:write'] }),
      });
      expect(client.socket.connected).toBe(true);
    });
  });
});
