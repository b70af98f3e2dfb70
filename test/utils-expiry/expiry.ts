import { io, Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { SweepReport } from '@switchboard/sessions';
import { within } from '@switchboard/testing';
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

/** Every event one socket receives, in arrival order, from the moment the socket is created. */
export class EventRecorder {
  private readonly received: Array<{ event: string; payload: unknown }> = [];
  private readonly wakers = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload });
      this.wakers.forEach((wake) => wake());
    });
  }

  /** Payloads of `event`, only those about `sessionId` when given. */
  of<E extends ExpiryEvent>(event: E, sessionId?: string): Array<ExpiryEvents[E]> {
    return this.received
      .filter((r) => r.event === event)
      .map((r) => r.payload as ExpiryEvents[E])
      .filter((payload) => sessionId === undefined || (payload as { sessionId?: string }).sessionId === sessionId);
  }

  /** Names of the session events (warning, expired, renewed) about `sessionId`, in arrival order. */
  sessionEvents(sessionId: string): string[] {
    return this.received
      .filter((r) => r.event.startsWith('session') && (r.payload as { sessionId?: string } | null)?.sessionId === sessionId)
      .map((r) => r.event);
  }

  /** Resolves with all payloads of `event` (about `sessionId`) once at least `count` have arrived. */
  async waitFor<E extends ExpiryEvent>(event: E, sessionId?: string, { count = 1, timeoutMs = EVENT_TIMEOUT_MS } = {}): Promise<Array<ExpiryEvents[E]>> {
    if (this.of(event, sessionId).length < count) {
      let wake: (() => void) | undefined;
      const arrived = new Promise<void>((resolve) => {
        wake = () => {
          if (this.of(event, sessionId).length >= count) resolve();
        };
        this.wakers.add(wake);
      });
      const what = `${count} × ${event}${sessionId ? ` for ${sessionId}` : ''} on socket ${this.socket.id ?? '(unconnected)'}`;
      await within(arrived, timeoutMs, what).finally(() => wake && this.wakers.delete(wake));
    }
    return this.of(event, sessionId);
  }
}

/** The sockets one test opens; `closeAll()` before the apps close. */
export class SocketSet {
  private readonly sockets = new Set<Socket>();

  /** A connected socket authenticated with `token`, recording from before the handshake. */
  async connect(url: string, token: string): Promise<EventRecorder> {
    const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, autoConnect: false });
    this.sockets.add(socket);
    const recorder = new EventRecorder(socket);
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.connect();
    await within(connected, EVENT_TIMEOUT_MS, 'the Socket.IO handshake');
    return recorder;
  }

  closeAll(): void {
    this.sockets.forEach((socket) => socket.disconnect());
    this.sockets.clear();
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
