import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, Clock, RateLimitError, RedisConnections } from '@switchboard/common';

/** One limit a request counts against: at most `limit` requests per `windowMs` for `subject`. */
export interface RateRule {
  /** What is limited, as errors name it: `session`, `channel`, `user`, `agent`. */
  scope: string;
  subject: string;
  limit: number;
  windowMs: number;
}

/** One counter of one fixed window. */
export interface CounterWindow {
  key: string;
  windowMs: number;
  limit: number;
}

/**
 * Counts requests per key and window. `take` counts one request in every window, or, when any of
 * them is already full, in none: a refused request consumes nothing.
 */
export interface RateCounter {
  /** The indexes of the windows that are full; empty when the request was counted. */
  take(windows: CounterWindow[]): Promise<number[]>;
}

/** Windows of an instance's own memory: enough for a single instance. */
export class MemoryRateCounter implements RateCounter {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();
  private takesSincePrune = 0;

  constructor(private readonly now: () => number) {}

  async take(windows: CounterWindow[]): Promise<number[]> {
    if (++this.takesSincePrune >= 10_000) this.prune();
    const full = windows.flatMap((window, i) => ((this.counts.get(window.key)?.count ?? 0) >= window.limit ? [i] : []));
    if (full.length > 0) return full;
    for (const window of windows) {
      const entry = this.counts.get(window.key);
      if (entry) entry.count++;
      else this.counts.set(window.key, { count: 1, expiresAt: this.now() + window.windowMs });
    }
    return [];
  }

  private prune(): void {
    this.takesSincePrune = 0;
    const now = this.now();
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
  }
}

/** Checks every window, then counts in all of them or none, atomically for every instance. */
const TAKE_SCRIPT = `
local full = {}
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then full[#full + 1] = i - 1 end
end
if #full > 0 then return full end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[2 * i], 'NX')
end
return full
`;

type RedisWithTake = Redis & { switchboardTakeRate(keyCount: number, ...keysAndArgs: Array<string | number>): Promise<number[]> };

/** Windows in Redis, shared by every instance: N instances enforce one limit. */
export class RedisRateCounter implements RateCounter {
  private readonly redis: RedisWithTake;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('switchboardTakeRate', { lua: TAKE_SCRIPT });
    this.redis = redis as RedisWithTake;
  }

  take(windows: CounterWindow[]): Promise<number[]> {
    const keys = windows.map((window) => `${this.prefix}:rate:${window.key}`);
    return this.redis.switchboardTakeRate(keys.length, ...keys, ...windows.flatMap((window) => [window.limit, window.windowMs]));
  }
}

/**
 * Fixed-window request limits (seed 004: 60 per minute per session, 1000 per hour per user, 5000 per
 * hour per agent, each configurable; 0 turns one off; and the frames of a /ws connection; see
 * rate-rules.ts for who is charged). Counters
 * live in Redis when REDIS_URL is set, else in memory. A request over any limit is refused with 429
 * RateLimitError and `details.retryAfterSeconds` (also sent as Retry-After), and counts against none.
 * If Redis does not answer, requests pass and one warning is logged: a limit is not worth an outage.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly counter: RateCounter;
  /** Whether the counter store failed last time: an outage is logged when it starts and when it ends, not per request. */
  private storeFailing = false;

  constructor(
    config: AppConfig,
    redis: RedisConnections,
    private readonly clock: Clock,
  ) {
    // /ws frames are always counted (rate-rules.ts), so the counters are shared whenever Redis is.
    this.counter = redis.configured
      ? new RedisRateCounter(redis.connection('rate-limits', 'request'), config.redisKeyPrefix)
      : new MemoryRateCounter(() => this.clock.now());
  }

  /** Counts the request against every rule that is on, or throws RateLimitError (counting it nowhere) when one is full. */
  async admit(rules: RateRule[]): Promise<void> {
    const now = this.clock.now();
    const active = rules.filter((rule) => rule.limit > 0);
    if (active.length === 0) return;
    let full: number[];
    try {
      full = await this.counter.take(active.map((rule) => ({ key: windowKey(rule, now), windowMs: rule.windowMs, limit: rule.limit })));
    } catch (error) {
      if (!this.storeFailing) this.logger.warn(`Rate limits not enforced until the counter store answers again: ${(error as Error).message}`);
      this.storeFailing = true;
      return;
    }
    if (this.storeFailing) this.logger.log('Rate limits enforced again: the counter store answers');
    this.storeFailing = false;
    if (full.length === 0) return;
    const exceeded = full.map((i) => ({ rule: active[i], retryAfterSeconds: Math.ceil((windowStart(active[i], now) + active[i].windowMs - now) / 1000) }));
    // Over several limits, the one that lasts longest is the one to wait for.
    const { rule, retryAfterSeconds } = exceeded.reduce((longest, next) => (next.retryAfterSeconds > longest.retryAfterSeconds ? next : longest));
    throw new RateLimitError(`Too many requests for this ${rule.scope}: at most ${rule.limit} per ${describeWindow(rule.windowMs)}`, {
      scope: rule.scope,
      limit: rule.limit,
      windowSeconds: rule.windowMs / 1000,
      retryAfterSeconds,
    });
  }
}

function windowStart(rule: RateRule, now: number): number {
  return Math.floor(now / rule.windowMs) * rule.windowMs;
}

function windowKey(rule: RateRule, now: number): string {
  return `${rule.scope}:${rule.subject}:${rule.windowMs}:${windowStart(rule, now)}`;
}

function describeWindow(windowMs: number): string {
  if (windowMs === 60_000) return 'minute';
  if (windowMs === 3_600_000) return 'hour';
  return `${windowMs / 1000} s`;
}
