import { randomBytes } from 'node:crypto';
import { SweepReport } from '@switchboard/sessions';
import { admin, createAgent, createSession, CreatedSession, http } from './utils/fixtures';
import { FakeClock } from './utils/fake-clock';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { createTestDatabase, onPostgres, TestDatabase } from './utils/test-database';
import { emitAck, EventRecorder, joinRoom, MINUTE_MS, moveClockTo, SocketSet, sweep, total } from './utils-expiry/expiry';

const SESSION_COUNT = 6;
const ROUNDS = 3;
const TIMEOUT = { timeoutMinutes: 30, warningThresholdMinutes: 5, maxDurationMinutes: 120, autoRenew: false };

/**
 * Two instances of the app on one PostgreSQL database and one Redis, sharing a clock, one admin
 * socket on each joined to every session's room: whichever instance claims a row, both sockets
 * hear about it through the Redis adapter, and the claims let only one instance announce it.
 */
describe.skipIf(!onPostgres)('session expiry with two instances on one database', () => {
  const clock = new FakeClock();
  const sockets = new SocketSet();
  let database: TestDatabase;
  const apps: TestApp[] = [];
  let clients: EventRecorder[] = [];
  const sessions: CreatedSession[] = [];
  let barrierRoom: string;
  let barrierRounds = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `sb-expiry-${process.pid}-${randomBytes(4).toString('hex')}`, SESSION_RETENTION_MINUTES: '10' };
    apps.push(await createTestApp({ database, clock, env }));
    apps.push(await createTestApp({ database, clock, env }));
    const [first, second] = apps;
    const agent = await createAgent(first);
    for (let i = 0; i < SESSION_COUNT; i++) {
      sessions.push(await createSession(i % 2 === 0 ? first : second, { agentId: agent.id, userId: `user-${i}`, timeoutConfig: TIMEOUT }));
    }
    barrierRoom = (await http(first).post('/api/channels').set(admin).send({ name: 'barrier' }).expect(201)).body.id as string;
    clients = await Promise.all(apps.map(async (t) => sockets.connect(await t.app.getUrl(), ADMIN_TOKEN)));
    for (const client of clients) {
      for (const session of sessions) await joinRoom(client.socket, session.sessionId);
      await joinRoom(client.socket, barrierRoom);
    }
  });

  afterAll(async () => {
    sockets.closeAll();
    await Promise.all(apps.map((t) => t.close({ keepDatabase: true })));
    await database?.drop();
  });

  /**
   * Each socket types in the barrier room and waits for the other's `userTyping`: it crossed Redis
   * after every event either instance published before, so once both arrive nothing is in flight.
   */
  const settleAcrossInstances = async () => {
    barrierRounds++;
    for (const client of clients) {
      const ack = await emitAck(client.socket, 'typing', { roomId: barrierRoom, isTyping: barrierRounds % 2 === 1 });
      if (!ack.ok) throw new Error(`typing was refused: ${JSON.stringify(ack)}`);
    }
    await Promise.all(clients.map((client) => client.waitFor('userTyping', undefined, { count: barrierRounds })));
  };

  /** Both instances sweep side by side, several times over; the reports of every sweep. */
  const sweepBothRepeatedly = async (): Promise<SweepReport[]> => {
    const reports: SweepReport[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      reports.push(...(await Promise.all(apps.map((t) => sweep(t)))));
      await settleAcrossInstances();
    }
    return reports;
  };

  /** For each socket, how many of `event` it received per session. */
  const countsPerSocket = (event: 'sessionExpirationWarning' | 'sessionExpired') =>
    clients.map((client) => sessions.map((session) => client.of(event, session.sessionId).length));

  const once = () => clients.map(() => sessions.map(() => 1));

  it('warns each session exactly once: each socket hears one warning per session, the reports add up to one each', async () => {
    moveClockTo(clock, Date.parse(sessions[0].expiresAt) - TIMEOUT.warningThresholdMinutes * MINUTE_MS);

    const reports = await sweepBothRepeatedly();

    expect(total(reports)).toEqual({ warned: SESSION_COUNT, expired: 0, purged: 0, failed: 0 });
    expect(countsPerSocket('sessionExpirationWarning')).toEqual(once());
    expect(clients.flatMap((client) => client.of('sessionExpirationWarning').map((w) => w.minutesRemaining))).toEqual(Array(2 * SESSION_COUNT).fill(5));
  });

  it('expires each session exactly once, with the same expiredAt on both sockets', async () => {
    moveClockTo(clock, Date.parse(sessions[0].expiresAt));

    const reports = await sweepBothRepeatedly();

    expect(total(reports)).toEqual({ warned: 0, expired: SESSION_COUNT, purged: 0, failed: 0 });
    expect(countsPerSocket('sessionExpired')).toEqual(once());
    expect(new Set(clients.flatMap((client) => client.of('sessionExpired').map((e) => e.expiredAt)))).toEqual(new Set([new Date(clock.now()).toISOString()]));
    expect(countsPerSocket('sessionExpirationWarning')).toEqual(once());
    for (const t of apps) {
      const listed = await http(t).get('/api/messaging/sessions').query({ status: 'expired', limit: 100 }).set(admin).expect(200);
      expect(listed.body.total).toBe(SESSION_COUNT);
    }
  });

  it('purges each session exactly once after retention', async () => {
    clock.advanceMinutes(10);

    const reports = await sweepBothRepeatedly();

    expect(total(reports)).toEqual({ warned: 0, expired: 0, purged: SESSION_COUNT, failed: 0 });
    const listed = await http(apps[1]).get('/api/messaging/sessions').query({ status: 'all' }).set(admin).expect(200);
    expect(listed.body.total).toBe(0);
  });
});
