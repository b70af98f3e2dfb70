/**
 * The rules of agent turns, as plain functions: which turn of a channel may run, who holds it and
 * until when. Turns of one channel run one at a time, oldest stored message first, across every
 * instance; a claim is a lease that another instance may take over once it has run out.
 */

export interface TurnState {
  messageId: string;
  /** The stored order of the channel: the message's unique epoch-ms `createdAt`. */
  messageCreatedAt: number;
  /** The instance that holds the turn, or null while it waits. */
  owner: string | null;
  leaseUntil: number | null;
  /** How many times the turn was claimed: the version a claim compares and sets. */
  attempts: number;
}

/** True while someone holds the turn: a claim whose lease has not run out. */
export function isHeld(turn: TurnState, now: number): boolean {
  return turn.owner !== null && turn.leaseUntil !== null && turn.leaseUntil > now;
}

/** The oldest turn of a channel's waiting turns, which is the only one that may run. */
export function headOf(turns: readonly TurnState[]): TurnState | null {
  let head: TurnState | null = null;
  for (const turn of turns) if (head === null || turn.messageCreatedAt < head.messageCreatedAt) head = turn;
  return head;
}

/**
 * The turn a worker may claim in a channel now: the head, unless someone holds it. A turn behind a
 * held head waits, even when it was stored on another instance, so replies keep the stored order.
 */
export function claimableTurn(turns: readonly TurnState[], now: number): TurnState | null {
  const head = headOf(turns);
  return head !== null && !isHeld(head, now) ? head : null;
}

/** Where a new claim's lease ends. */
export function leaseEnd(now: number, leaseMs: number): number {
  return now + leaseMs;
}

/**
 * A turn taken over after its holder died may already have some of its agents' replies stored:
 * only the agents that have not answered run again. A first attempt has nothing to skip.
 */
export function agentsStillToAnswer(agentIds: readonly string[], answeredBy: ReadonlySet<string>): string[] {
  return agentIds.filter((agentId) => !answeredBy.has(agentId));
}

/**
 * During a drain, how long running turns may go on before they are handed back: most of the grace,
 * keeping a margin for the hand-back itself and for closing connections.
 */
export function handBackAfterMs(graceMs: number): number {
  return Math.max(0, graceMs - Math.min(2_000, Math.floor(graceMs / 4)));
}
