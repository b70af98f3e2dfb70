import type { Namespace } from 'socket.io';

type Adapter = Namespace['adapter'];

/** How often rooms left longer ago than the window are forgotten. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Whether a broadcast to a room can reach anyone on this instance, so the fan-out can skip the
 * encoding (and connection-state recovery's copy) of events nobody will ever receive. A room can
 * be reached while a socket is in it, and for `recoveryWindowMs` after its last socket left: a
 * dropped client may come back within that window and be handed the packets it missed.
 */
export class RoomAudience {
  private readonly leftAt = new Map<string, number>();
  private readonly onLeave = (room: string) => this.leftAt.set(room, this.now());
  private readonly pruner: NodeJS.Timeout;

  constructor(
    private readonly adapter: Adapter,
    private readonly recoveryWindowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    adapter.on('leave-room', this.onLeave);
    this.pruner = setInterval(() => this.prune(), PRUNE_EVERY_MS).unref();
  }

  mayReach(room: string): boolean {
    if (this.adapter.rooms.has(room)) return true;
    const left = this.leftAt.get(room);
    return left !== undefined && this.now() - left <= this.recoveryWindowMs;
  }

  close(): void {
    clearInterval(this.pruner);
    this.adapter.off('leave-room', this.onLeave);
  }

  private prune(): void {
    const horizon = this.now() - this.recoveryWindowMs;
    for (const [room, left] of this.leftAt) if (left < horizon) this.leftAt.delete(room);
  }
}
