/** How a failed call is retried: exponential backoff with jitter, `Retry-After` honoured. */
export interface RetryOptions {
  /** Attempts after the first; 0 turns retries off. */
  retries: number;
  /** The first wait, before jitter. */
  baseDelayMs: number;
  /** No backoff is longer than this; a server's Retry-After still wins. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 5, baseDelayMs: 250, maxDelayMs: 30_000 };

/**
 * The wait before retry number `attempt` (0 for the first retry): `baseDelayMs · 2^attempt`, capped,
 * then spread over its upper half by `random` (0 ≤ random < 1) so clients that failed together do not
 * retry together. A server's `Retry-After` is a floor: never retry sooner than it asked.
 */
export function retryDelayMs(attempt: number, options: RetryOptions, random: number, retryAfterMs?: number): number {
  const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  const jittered = backoff / 2 + (backoff / 2) * random;
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export type CallOutcome = { kind: 'network-error' } | { kind: 'response'; status: number };

/**
 * Whether to try again. A 429 was not processed, so any call may be retried; a network error or a
 * 5xx may have been, so only calls that are safe to repeat (reads, and sends carrying a messageId).
 */
export function shouldRetry(outcome: CallOutcome, idempotent: boolean): boolean {
  if (outcome.kind === 'network-error') return idempotent;
  if (outcome.status === 429) return true;
  return idempotent && (outcome.status === 408 || (outcome.status >= 500 && outcome.status !== 501));
}
