import { randomBytes } from 'node:crypto';
import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import { SocketIoGateway } from '@switchboard/realtime';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { sessionMessagesPath } from './utils-realtime/rest';
import { emitAck, SocketPool } from './utils-realtime/sockets';

/** Events cross instances through Redis: a loaded machine may take a while, a correct one never loses them. */
const CROSS_MS = 10_000;

/**
 * Two instances on one PostgreSQL schema and one Redis prefix. A room's events reach its sockets on
 * both instances exactly once, and an instance with no socket in the room only publishes them: it
 * does not encode them for sockets it does not have.
 */
describe.skipIf(!onPostgres)('Socket.IO rooms through the Redis adapter, two instances', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const onA = SocketPool.for(() => a);
  const onB = SocketPool.for(() => b);

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-sio-adapter-${process.pid}-${randomBytes(4).toString('hex')}` };
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
});
