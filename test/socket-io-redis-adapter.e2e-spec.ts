import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { SocketIoGateway } from '@switchboard/realtime';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { sessionMessagesPath } from './utils-realtime/rest';
import { emitAck, EventLog, SocketPool } from './utils-realtime/sockets';

/** Events cross instances through Redis: a loaded machine may take a while, a correct one never loses them. */
const CROSS_MS = 10_000;

/**
 * Two instances on one PostgreSQL schema and one Redis prefix. A room's events reach its sockets on
 * both instances exactly once, and an instance with no socket in the room only publishes them: it
 * does not encode them for sockets it does not have.
 */
describe.skipIf(!onPostgres)('Socket.IO rooms through the Redis adapter, two instances', () => {
  let database: TestDatabase;
  let prefix: string;
  let a: TestApp;
  let b: TestApp;
  const onA = SocketPool.for(() => a);
  const onB = SocketPool.for(() => b);

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = `sb-sio-adapter-${process.pid}-${randomBytes(4).toString('hex')}`;
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix };
    a = await createTestApp({ database, env });
    b = await createTestApp({ database, env });
  });

  afterEach(() => {
    onA.closeAll();
    onB.closeAll();
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await Promise.all([a, b].map((t) => t?.close({ keepDatabase: true })));
    await database?.drop();
  });

  /** The namespace adapter of `t`'s Socket.IO server. */
  const adapterOf = (t: TestApp) => (t.app.get(SocketIoGateway) as unknown as { server: Server }).server.of('/').adapter;

  /** A socket on `pool`'s instance joined to `roomId`. */
  const joined = async (pool: SocketPool, roomId: string) => {
    const client = await pool.connect({ token: ADMIN_TOKEN });
    expect((await emitAck(client.socket, 'join', { roomId })).ok).toBe(true);
    return client;
  };

  it("a send to A reaches the room's sockets on A and on B once each, and not a socket in another room", async () => {
    const agent = await createAgent(a);
    const session = await createSession(a, { agentId: agent.id, userId: 'user-both' });
    const other = await createSession(a, { agentId: agent.id, userId: 'user-other' });
    const [hereA, hereB, elsewhere] = [await joined(onA, session.sessionId), await joined(onB, session.sessionId), await joined(onB, other.sessionId)];

    const sent = await http(a).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'to both' }).expect(201);
    await Promise.all([hereA, hereB].map((client) => client.log.waitFor('messageComplete', undefined, { timeoutMs: CROSS_MS })));
    // The other room's socket is on B too, behind the same Redis connection: had it been sent anything, it would be here by now.

    for (const client of [hereA, hereB]) {
      expect(client.log.of('messageBroadcast').map((m) => [m.id === sent.body.id, m.isAgent])).toEqual([
        [true, false],
        [false, true],
      ]);
    }
    expect(elsewhere.log.of('messageBroadcast')).toEqual([]);
  });

  it('an instance with no socket in the room publishes its events without encoding them for itself; one with a socket there does', async () => {
    const agent = await createAgent(a);
    const session = await createSession(a, { agentId: agent.id, userId: 'user-on-b' });
    const onlyOnB = await joined(onB, session.sessionId);
    // The in-memory adapter under the Redis one encodes a packet once per broadcast, for this instance's sockets.
    const inMemory = Object.getPrototypeOf(RedisAdapter.prototype) as { _encode: () => unknown[] };
    const encode = vi.spyOn(inMemory, '_encode');
    const encodedBy = (t: TestApp) => encode.mock.contexts.filter((context) => context === adapterOf(t)).length;

    await http(a).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'from A' }).expect(201);
    await onlyOnB.log.waitFor('messageComplete', undefined, { timeoutMs: CROSS_MS });

    expect(onlyOnB.log.of('messageBroadcast').map((m) => m.text)).toEqual(['from A', 'You said: from A']);
    expect(encodedBy(a)).toBe(0);
    expect(encodedBy(b)).toBeGreaterThan(0);
  });

  it("shares its rooms with an instance of an earlier release, whose adapter writes and reads the adapter's default encoding", async () => {
    // What an earlier release ran: the Redis adapter as it comes, on the same key.
    const [publisher, subscriber] = [new Redis('redis://127.0.0.1:6379'), new Redis('redis://127.0.0.1:6379')];
    const earlier = new Server(createServer().listen(0, '127.0.0.1'), { adapter: createAdapter(publisher, subscriber, { key: `${prefix}:socket.io` }) });
    try {
      const agent = await createAgent(a);
      const session = await createSession(a, { agentId: agent.id, userId: 'user-mixed' });
      earlier.on('connection', (socket) => void socket.join(session.channelId));
      const port = (earlier.httpServer.address() as AddressInfo).port;
      const onEarlier = new EventLog(connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] }));
      await new Promise<void>((resolve) => onEarlier.socket.once('connect', () => resolve()));
      const onNew = await joined(onA, session.sessionId);

      await http(a).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'to both releases', metadata: { n: 1 } }).expect(201);
      await Promise.all([onNew.log, onEarlier].map((log) => log.waitFor('messageComplete', undefined, { timeoutMs: CROSS_MS })));
      earlier.to(session.channelId).emit('messageBroadcast', { id: 'from-earlier', text: 'hello', isAgent: false, metadata: { nested: [1, 'two'] } } as never);
      await onNew.log.waitFor('messageBroadcast', (m) => m.id === 'from-earlier', { timeoutMs: CROSS_MS });

      // What a send and its reply emit to the room: the same events, payloads and order on both releases.
      const ofTheSend = (log: EventLog) => log.received.filter((r) => ['messageBroadcast', 'message', 'controlMessage', 'messageComplete'].includes(r.event) && (r.payload as { id?: string }).id !== 'from-earlier');
      expect(ofTheSend(onEarlier).length).toBeGreaterThanOrEqual(8);
      expect(ofTheSend(onEarlier)).toEqual(ofTheSend(onNew.log));
      expect(onNew.log.of('messageBroadcast').at(-1)).toEqual({ id: 'from-earlier', text: 'hello', isAgent: false, metadata: { nested: [1, 'two'] } });
      onEarlier.socket.close();
    } finally {
      earlier.close();
      publisher.disconnect();
      subscriber.disconnect();
    }
  });
});
