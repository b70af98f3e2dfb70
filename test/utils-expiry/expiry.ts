import type { Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { SweepReport } from '@switchboard/sessions';
import { EventLog, SocketPool } from '@switchboard/testing';
import { FakeClock } from '../utils/fake-clock';
import { TestApp } from '../utils/test-app';

/** How long a test waits for any one socket event or ack. */
export const EVENT_TIMEOUT_MS = 3_000;
export const MINUTE_MS = 60_000;

/** The session events the sweep and the renewals push, as the client sees them. */
export interface ExpiryEvents {
  sessionExpirationWarning: { sessionId: string; minutesRemaining: number; expiresAt: string };
  sessionExpired: { sessionId: string; expiredAt: string };
  sessionRenewed: { sessionId: string; expiresAt: string; renewalCount: number };
  userTyping: { roomId: string; channelId: string; entityId: string; isTyping: boolean };
}

export type ExpiryEvent = keyof ExpiryEvents;

export type Ack = { ok: boolean } & Record<string, unknown>;

/** Every event one socket receives, in arrival order, from the moment the socket is created: the kit's EventLog, asked by session. */
export class EventRecorder {
  constructor(private readonly log: EventLog) {}

  get socket(): Socket {
    return this.log.socket;
  }

  /** Payloads of `event`, only those about `sessionId` when given. */
  of<E extends ExpiryEvent>(event: E, sessionId?: string): Array<ExpiryEvents[E]> {
    return this.log.of(event, about(sessionId)) as Array<ExpiryEvents[E]>;
  }

  /** Names of the session events (warning, expired, renewed) about `sessionId`, in arrival order. */
  sessionEvents(sessionId: string): string[] {
    return this.log.received
      .filter((r) => r.event.startsWith('session') && (r.payload as { sessionId?: string } | null)?.sessionId === sessionId)
      .map((r) => r.event);
  }

  /** Resolves with all payloads of `event` (about `sessionId`) once at least `count` have arrived. */
  async waitFor<E extends ExpiryEvent>(event: E, sessionId?: string, { count = 1, timeoutMs = EVENT_TIMEOUT_MS } = {}): Promise<Array<ExpiryEvents[E]>> {
    return (await this.log.waitFor(event, about(sessionId), { count, timeoutMs })) as Array<ExpiryEvents[E]>;
  }
}

const about =
  (sessionId: string | undefined) =>
  (payload: unknown): boolean =>
    sessionId === undefined || (payload as { sessionId?: string }).sessionId === sessionId;

/** The sockets one test opens; `closeAll()` before the apps close. */
export class SocketSet {
  private readonly pools: SocketPool[] = [];

  /** A connected socket authenticated with `token`, recording from before the handshake. */
  async connect(url: string, token: string): Promise<EventRecorder> {
    const pool = new SocketPool(() => url);
    this.pools.push(pool);
    return new EventRecorder((await pool.connect({ token })).log);
  }

  closeAll(): void {
    this.pools.splice(0).forEach((pool) => pool.closeAll());
  }
}

export function emitAck(socket: Socket, event: string, payload?: unknown): Promise<Ack> {
  return socket.timeout(EVENT_TIMEOUT_MS).emitWithAck(event, payload) as Promise<Ack>;
}

export async function joinRoom(socket: Socket, roomId: string): Promise<void> {
  const ack = await emitAck(socket, 'join', { roomId });
  if (!ack.ok) throw new Error(`join ${roomId} was refused: ${JSON.stringify(ack)}`);
}

/**
 * A round trip on the socket's own connection: once its ack is back, everything its server emitted
 * to the socket before answering has arrived, so "no second event" needs no sleep.
 */
export async function roundTrip(socket: Socket): Promise<void> {
  await emitAck(socket, 'request-world-state');
}

export function sweep(t: TestApp): Promise<SweepReport> {
  return t.sweep();
}

export function moveClockTo(clock: FakeClock, epochMs: number): void {
  clock.advanceMs(epochMs - clock.now());
}

export const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Rows of `table` whose `column` equals `value`, read straight from the database. */
export async function countRows(t: TestApp, table: string, column: string, value: string): Promise<number> {
  const row = await t.app
    .get(DataSource)
    .createQueryBuilder()
    .select('COUNT(*)', 'n')
    .from(table, 'r')
    .where(`r.${column} = :value`, { value })
    .getRawOne<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

/** The report of several sweeps added up. */
export function total(reports: SweepReport[]): SweepReport {
  return reports.reduce(
    (sum, r) => ({ warned: sum.warned + r.warned, expired: sum.expired + r.expired, purged: sum.purged + r.purged, failed: sum.failed + r.failed }),
    { warned: 0, expired: 0, purged: 0, failed: 0 },
  );
}
