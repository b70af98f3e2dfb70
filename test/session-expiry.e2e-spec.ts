import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuthService } from '@switchboard/auth';
import { SessionExpiryCron, SessionExpiryService } from '@switchboard/sessions';
import { admin, bearer, createSession, CreatedSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { countRows, EventRecorder, iso, joinRoom, MINUTE_MS, moveClockTo, roundTrip, SocketSet, sweep } from './utils-expiry/expiry';

const SESSIONS = '/api/messaging/sessions';
const JOB_NAME = 'session-expiry-sweep';

/** 30-minute sessions warned 5 minutes ahead, renewed only by hand unless a test says otherwise. */
const TIMEOUT = { timeoutMinutes: 30, warningThresholdMinutes: 5, maxDurationMinutes: 120, autoRenew: false };

interface SessionBody {
  sessionId: string;
  status: 'active' | 'expired';
  expiresAt: string;
  timeRemaining: number;
  isNearExpiration: boolean;
  renewalCount: number;
}

describe('session expiry sweep (fake clock, sweep run by hand)', () => {
  let t: TestApp;
  let running: TestApp | undefined;
  const sockets = new SocketSet();

  const start = async (env: NodeJS.ProcessEnv = {}) => {
    t = running = await createTestApp({ env });
  };

  afterEach(async () => {
    vi.restoreAllMocks();
    sockets.closeAll();
    await running?.close();
    running = undefined;
  });

  /** A session and a socket on its own session token, joined to its room. */
  const watchedSession = async (timeoutConfig: Partial<typeof TIMEOUT> = {}): Promise<{ session: CreatedSession; client: EventRecorder }> => {
    const session = await createSession(t, { timeoutConfig: { ...TIMEOUT, ...timeoutConfig } });
    const client = await sockets.connect(await t.app.getUrl(), session.token);
    await joinRoom(client.socket, session.sessionId);
    return { session, client };
  };

  const expiresAtOf = (session: { expiresAt: string }) => Date.parse(session.expiresAt);
  const windowOpensAt = (session: { expiresAt: string }) => expiresAtOf(session) - TIMEOUT.warningThresholdMinutes * MINUTE_MS;
  const getSession = (sessionId: string, auth = admin) => http(t).get(`${SESSIONS}/${sessionId}`).set(auth);
  const heartbeat = async (sessionId: string) => (await http(t).post(`${SESSIONS}/${sessionId}/heartbeat`).set(admin).expect(200)).body as SessionBody;
  const expiringSoon = async () => (await http(t).get(`${SESSIONS}/health`).set(admin).expect(200)).body.expiringSoon as number;
  const listed = async (status: string) =>
    ((await http(t).get(SESSIONS).query({ status }).set(admin).expect(200)).body.sessions as SessionBody[]).map((s) => ({ sessionId: s.sessionId, status: s.status }));

  describe('the warning', () => {
    beforeEach(() => start());

    it('arrives once when the session enters its window, with the minutes remaining; later sweeps send nothing', async () => {
      const { session, client } = await watchedSession();

      moveClockTo(t.clock, windowOpensAt(session) - 1);
      expect(await sweep(t)).toEqual({ warned: 0, expired: 0, purged: 0, failed: 0 });
      moveClockTo(t.clock, windowOpensAt(session));
      expect(await sweep(t)).toEqual({ warned: 1, expired: 0, purged: 0, failed: 0 });
      const [warning] = await client.waitFor('sessionExpirationWarning', session.sessionId);
      t.clock.advanceMinutes(2);
      expect(await sweep(t)).toEqual({ warned: 0, expired: 0, purged: 0, failed: 0 });
      await roundTrip(client.socket);

      expect(warning).toEqual({ sessionId: session.sessionId, minutesRemaining: 5, expiresAt: session.expiresAt });
      expect(client.sessionEvents(session.sessionId)).toEqual(['sessionExpirationWarning']);
    });

    it('rounds minutesRemaining up when the sweep first sees the session part-way into its window', async () => {
      const { session, client } = await watchedSession();

      moveClockTo(t.clock, expiresAtOf(session) - 3 * MINUTE_MS - 30_000);
      await sweep(t);

      expect((await client.waitFor('sessionExpirationWarning', session.sessionId))[0].minutesRemaining).toBe(4);
    });

    it('agrees with the heartbeat (isNearExpiration, timeRemaining) and the health route (expiringSoon) on both sides of the window edge', async () => {
      const { session, client } = await watchedSession();

      moveClockTo(t.clock, windowOpensAt(session) - 1);
      const before = { heartbeat: await heartbeat(session.sessionId), expiringSoon: await expiringSoon(), report: await sweep(t) };
      await roundTrip(client.socket);
      const warningsBefore = client.of('sessionExpirationWarning', session.sessionId).length;

      moveClockTo(t.clock, windowOpensAt(session));
      const inside = { heartbeat: await heartbeat(session.sessionId), expiringSoon: await expiringSoon(), report: await sweep(t) };
      const warnings = await client.waitFor('sessionExpirationWarning', session.sessionId);

      expect({ near: before.heartbeat.isNearExpiration, remaining: before.heartbeat.timeRemaining, expiringSoon: before.expiringSoon, warned: before.report.warned, events: warningsBefore }).toEqual({
        near: false,
        remaining: 5 * MINUTE_MS + 1,
        expiringSoon: 0,
        warned: 0,
        events: 0,
      });
      expect({ near: inside.heartbeat.isNearExpiration, remaining: inside.heartbeat.timeRemaining, expiringSoon: inside.expiringSoon, warned: inside.report.warned, events: warnings.length }).toEqual({
        near: true,
        remaining: 5 * MINUTE_MS,
        expiringSoon: 1,
        warned: 1,
        events: 1,
      });
      expect(warnings[0].minutesRemaining).toBe(Math.ceil(inside.heartbeat.timeRemaining / MINUTE_MS));
    });

    it.each([
      ['POST …/renew', TIMEOUT.autoRenew, (sessionId: string) => http(t).post(`${SESSIONS}/${sessionId}/renew`).set(admin).expect(200)],
      ['an auto-renewing message', true, (sessionId: string) => http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content: 'still here' }).expect(201)],
      ['an auto-renewing heartbeat', true, (sessionId: string) => http(t).post(`${SESSIONS}/${sessionId}/heartbeat`).set(admin).expect(200)],
    ])('is re-armed by %s: nothing until the next window, then exactly one more warning', async (_, autoRenew, renew) => {
      const { session, client } = await watchedSession({ autoRenew });
      moveClockTo(t.clock, windowOpensAt(session));
      await sweep(t);
      await client.waitFor('sessionExpirationWarning', session.sessionId);

      t.clock.advanceMinutes(1);
      await renew(session.sessionId);
      const [renewed] = await client.waitFor('sessionRenewed', session.sessionId);
      const afterRenewal = await sweep(t);
      await roundTrip(client.socket);
      const warningsAfterRenewal = client.of('sessionExpirationWarning', session.sessionId).length;
      moveClockTo(t.clock, windowOpensAt(renewed));
      const nextWindow = await sweep(t);
      const warnings = await client.waitFor('sessionExpirationWarning', session.sessionId, { count: 2 });
      await sweep(t);
      await roundTrip(client.socket);

      expect(expiresAtOf(renewed)).toBe(expiresAtOf(session) - 4 * MINUTE_MS + TIMEOUT.timeoutMinutes * MINUTE_MS);
      expect({ afterRenewal: afterRenewal.warned, warningsAfterRenewal, nextWindow: nextWindow.warned }).toEqual({ afterRenewal: 0, warningsAfterRenewal: 1, nextWindow: 1 });
      expect(warnings[1]).toEqual({ sessionId: session.sessionId, minutesRemaining: 5, expiresAt: renewed.expiresAt });
      expect(client.sessionEvents(session.sessionId)).toEqual(['sessionExpirationWarning', 'sessionRenewed', 'sessionExpirationWarning']);
    });

    // A renewal that lands just before the claim must keep the session out of it; a claim that checked
    // only `warned_at IS NULL` sent a stale warning and used up the new window's one.
    it('does not warn a session renewed between finding and claiming it, and warns in its new window', async () => {
      const { session, client } = await watchedSession();
      const expiry = t.app.get(SessionExpiryService);
      const claimDueWarnings = expiry.claimDueWarnings.bind(expiry);
      vi.spyOn(expiry, 'claimDueWarnings').mockImplementationOnce(async (limit) => {
        await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin).expect(200);
        return claimDueWarnings(limit);
      });
      moveClockTo(t.clock, windowOpensAt(session));

      const racing = await sweep(t);
      const [renewed] = await client.waitFor('sessionRenewed', session.sessionId);
      await roundTrip(client.socket);
      const staleWarnings = client.of('sessionExpirationWarning', session.sessionId);
      moveClockTo(t.clock, windowOpensAt(renewed));
      const nextWindow = await sweep(t);
      await roundTrip(client.socket);

      expect({ racing: racing.warned, staleWarnings, nextWindow: nextWindow.warned }).toEqual({ racing: 0, staleWarnings: [], nextWindow: 1 });
    });
  });

  describe('expiry', () => {
    beforeEach(() => start());

    it('announces sessionExpired once with expiredAt; then 410, the session token revoked (401), listed as expired', async () => {
      const { session, client } = await watchedSession();
      moveClockTo(t.clock, expiresAtOf(session));
      const beforeSweep = await getSession(session.sessionId, bearer(session.token));

      const first = await sweep(t);
      const [expired] = await client.waitFor('sessionExpired', session.sessionId);
      const second = await sweep(t);
      await roundTrip(client.socket);

      expect(beforeSweep.status).toBe(410);
      expect({ first, second }).toEqual({ first: { warned: 0, expired: 1, purged: 0, failed: 0 }, second: { warned: 0, expired: 0, purged: 0, failed: 0 } });
      expect(expired).toEqual({ sessionId: session.sessionId, expiredAt: iso(t.clock.now()) });
      expect(client.sessionEvents(session.sessionId)).toEqual(['sessionExpired']);
      expect((await getSession(session.sessionId).expect(410)).body).toMatchObject({ error: 'SessionExpiredError', details: { expiresAt: session.expiresAt } });
      expect((await getSession(session.sessionId, bearer(session.token))).status).toBe(401);
      expect(await countRows(t, 'session_tokens', 'session_id', session.sessionId)).toBe(0);
      expect(await listed('expired')).toEqual([{ sessionId: session.sessionId, status: 'expired' }]);
      expect(await listed('active')).toEqual([]);
    });

    it('does not expire a session 1 ms before expiresAt, after a warning it does: warning then expired, once each', async () => {
      const { session, client } = await watchedSession();
      moveClockTo(t.clock, windowOpensAt(session));
      await sweep(t);

      moveClockTo(t.clock, expiresAtOf(session) - 1);
      const early = await sweep(t);
      moveClockTo(t.clock, expiresAtOf(session));
      const due = await sweep(t);
      await client.waitFor('sessionExpired', session.sessionId);
      await sweep(t);
      await roundTrip(client.socket);

      expect({ early: early.expired, due: due.expired }).toEqual({ early: 0, due: 1 });
      expect(client.sessionEvents(session.sessionId)).toEqual(['sessionExpirationWarning', 'sessionExpired']);
    });

    it('caps auto-renewal at createdAt + maxDurationMinutes: messages stop renewing and the session expires then', async () => {
      const { session, client } = await watchedSession({ timeoutMinutes: 10, maxDurationMinutes: 15, warningThresholdMinutes: 2, autoRenew: true });
      const createdAt = Date.parse(session.createdAt as string);
      const cap = createdAt + 15 * MINUTE_MS;
      const send = async (content: string) =>
        (await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content }).expect(201)).body.sessionStatus as { expiresAt: string; wasRenewed: boolean };

      moveClockTo(t.clock, createdAt + 8 * MINUTE_MS);
      const capped = await send('first');
      moveClockTo(t.clock, createdAt + 12 * MINUTE_MS);
      const atCap = await send('second');
      moveClockTo(t.clock, cap - 2 * MINUTE_MS);
      await sweep(t);
      await client.waitFor('sessionExpirationWarning', session.sessionId);
      moveClockTo(t.clock, cap - MINUTE_MS);
      const lastMessage = await send('third');
      const renewal = await http(t).post(`${SESSIONS}/${session.sessionId}/renew`).set(admin);
      moveClockTo(t.clock, cap - 1);
      const early = await sweep(t);
      moveClockTo(t.clock, cap);
      const due = await sweep(t);
      const [expired] = await client.waitFor('sessionExpired', session.sessionId);
      await roundTrip(client.socket);

      expect([capped, atCap, lastMessage]).toEqual([
        { expiresAt: iso(cap), wasRenewed: true, isNearExpiration: false },
        { expiresAt: iso(cap), wasRenewed: false, isNearExpiration: false },
        { expiresAt: iso(cap), wasRenewed: false, isNearExpiration: true },
      ].map((status) => expect.objectContaining(status)));
      expect(renewal.status).toBe(422);
      expect({ early: early.expired, due: due.expired }).toEqual({ early: 0, due: 1 });
      expect(expired.expiredAt).toBe(iso(cap));
      expect(client.sessionEvents(session.sessionId)).toEqual(['sessionRenewed', 'sessionExpirationWarning', 'sessionExpired']);
    });
  });

  describe('retention purge (SESSION_RETENTION_MINUTES=10)', () => {
    beforeEach(() => start({ SESSION_RETENTION_MINUTES: '10' }));

    it('deletes the expired session with its channel, messages, participants and tokens once retention has passed', async () => {
      const { session, client } = await watchedSession();
      const reply = await http(t).post(`${SESSIONS}/${session.sessionId}/messages`).set(admin).send({ content: 'hello', transport: 'sync' }).expect(201);
      expect(reply.body.agentResponse).toBeDefined();
      const messagesBefore = await countRows(t, 'messages', 'channel_id', session.channelId);
      moveClockTo(t.clock, expiresAtOf(session));
      await sweep(t);
      await client.waitFor('sessionExpired', session.sessionId);

      t.clock.advanceMinutes(10);
      t.clock.advanceMs(-1);
      const early = await sweep(t);
      const keptUntilRetention = { session: (await getSession(session.sessionId)).status, channel: (await http(t).get(`/api/channels/${session.channelId}`).set(admin)).status };
      t.clock.advanceMs(1);
      const due = await sweep(t);
      const again = await sweep(t);

      expect(messagesBefore).toBe(2);
      expect({ early: early.purged, due: due.purged, again: again.purged }).toEqual({ early: 0, due: 1, again: 0 });
      expect(keptUntilRetention).toEqual({ session: 410, channel: 200 });
      expect((await getSession(session.sessionId).expect(404)).body).toMatchObject({ error: 'SessionNotFoundError' });
      expect((await http(t).get(`/api/channels/${session.channelId}`).set(admin).expect(404)).body).toMatchObject({ error: 'ChannelNotFoundError' });
      expect({
        sessions: await countRows(t, 'sessions', 'id', session.sessionId),
        channels: await countRows(t, 'channels', 'id', session.channelId),
        messages: await countRows(t, 'messages', 'channel_id', session.channelId),
        participants: await countRows(t, 'channel_participants', 'channel_id', session.channelId),
        tokens: await countRows(t, 'session_tokens', 'session_id', session.sessionId),
      }).toEqual({ sessions: 0, channels: 0, messages: 0, participants: 0, tokens: 0 });
      expect(await listed('all')).toEqual([]);
    });

    it('leaves live sessions and their channels alone', async () => {
      const { session: dying } = await watchedSession({ timeoutMinutes: 5, warningThresholdMinutes: 1 });
      const { session: living } = await watchedSession({ timeoutMinutes: 60 });
      moveClockTo(t.clock, expiresAtOf(dying));
      await sweep(t);
      t.clock.advanceMinutes(10);

      const report = await sweep(t);

      expect(report).toEqual({ warned: 0, expired: 0, purged: 1, failed: 0 });
      expect((await getSession(living.sessionId).expect(200)).body.status).toBe('active');
      await http(t).get(`/api/channels/${living.channelId}`).set(admin).expect(200);
    });
  });

  describe('a row that throws', () => {
    beforeEach(() => start());

    it('is logged, counted as failed and skipped while the other due sessions expire; a later sweep expires it', async () => {
      const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const watched = [await watchedSession(), await watchedSession(), await watchedSession()];
      const [failing, ...others] = watched;
      const auth = t.app.get(AuthService);
      const revoke = auth.revokeSessionTokens.bind(auth);
      const spy = vi.spyOn(auth, 'revokeSessionTokens').mockImplementation(async (sessionIds) => {
        if (sessionIds.includes(failing.session.sessionId)) throw new Error('token store unavailable');
        return revoke(sessionIds);
      });
      moveClockTo(t.clock, Math.max(...watched.map(({ session }) => expiresAtOf(session))));

      const withFailure = await sweep(t);
      await Promise.all(others.map(({ session, client }) => client.waitFor('sessionExpired', session.sessionId)));
      await roundTrip(failing.client.socket);
      const failingEventsMeanwhile = failing.client.sessionEvents(failing.session.sessionId);
      const failingStatusMeanwhile = (await getSession(failing.session.sessionId, bearer(failing.session.token))).status;
      spy.mockRestore();
      const retried = await sweep(t);
      await failing.client.waitFor('sessionExpired', failing.session.sessionId);
      await Promise.all(watched.map(({ client }) => roundTrip(client.socket)));

      expect(withFailure).toEqual({ warned: 0, expired: 2, purged: 0, failed: 1 });
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`${failing.session.sessionId}.*token store unavailable`)));
      expect(failingEventsMeanwhile).toEqual([]);
      expect(failingStatusMeanwhile).toBe(410);
      expect(retried).toEqual({ warned: 0, expired: 1, purged: 0, failed: 0 });
      expect(watched.map(({ session, client }) => client.sessionEvents(session.sessionId))).toEqual([['sessionExpired'], ['sessionExpired'], ['sessionExpired']]);
      expect((await getSession(failing.session.sessionId, bearer(failing.session.token))).status).toBe(401);
    });
  });

  describe('overlap', () => {
    beforeEach(() => start());

    it('runs one sweep at a time: a second call while one runs waits for it, and each session is announced once', async () => {
      const watched = [await watchedSession(), await watchedSession(), await watchedSession()];
      const expiry = t.app.get(SessionExpiryService);
      const claimDueWarnings = expiry.claimDueWarnings.bind(expiry);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const spy = vi.spyOn(expiry, 'claimDueWarnings').mockImplementation(async (limit) => {
        await gate;
        return claimDueWarnings(limit);
      });
      moveClockTo(t.clock, Math.max(...watched.map(({ session }) => windowOpensAt(session))));
      const cron = t.app.get(SessionExpiryCron);

      const first = cron.sweep();
      const second = cron.sweep();
      const startedWhileFirstRan = spy.mock.calls.length;
      release();
      const reports = await Promise.all([first, second]);
      await Promise.all(watched.map(({ session, client }) => client.waitFor('sessionExpirationWarning', session.sessionId)));
      const third = await cron.sweep();
      await Promise.all(watched.map(({ client }) => roundTrip(client.socket)));

      expect(startedWhileFirstRan).toBe(1);
      expect(reports).toEqual([
        { warned: 3, expired: 0, purged: 0, failed: 0 },
        { warned: 3, expired: 0, purged: 0, failed: 0 },
      ]);
      expect(third).toEqual({ warned: 0, expired: 0, purged: 0, failed: 0 });
      expect(spy).toHaveBeenCalledTimes(2);
      expect(watched.map(({ session, client }) => client.sessionEvents(session.sessionId))).toEqual([
        ['sessionExpirationWarning'],
        ['sessionExpirationWarning'],
        ['sessionExpirationWarning'],
      ]);
    });
  });

  describe('the schedule', () => {
    it('registers no interval with SESSION_SWEEP_INTERVAL_SECONDS=0', async () => {
      await start();

      expect(t.app.get(SchedulerRegistry).getIntervals()).not.toContain(JOB_NAME);
    });

    it('ticks by itself every SESSION_SWEEP_INTERVAL_SECONDS: sessionExpired arrives after the clock passes expiry', async () => {
      await start({ SESSION_SWEEP_INTERVAL_SECONDS: '1' });
      const { session, client } = await watchedSession();

      moveClockTo(t.clock, expiresAtOf(session));
      const [expired] = await client.waitFor('sessionExpired', session.sessionId, { timeoutMs: 5_000 });

      expect(t.app.get(SchedulerRegistry).getIntervals()).toContain(JOB_NAME);
      expect(expired.sessionId).toBe(session.sessionId);
      expect(await listed('expired')).toEqual([{ sessionId: session.sessionId, status: 'expired' }]);
    });
  });
});
