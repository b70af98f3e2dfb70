import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, Clock, RateLimitError } from '@switchboard/common';

/** One limit a request counts against: at most `limit` requests per `windowMs` for `subject`. */
export interface RateRule {
  /** What is limited, as errors name it: `session`, `user`, `agent`. */
  scope: string;
  subject: string;
  limit: number;
  windowMs: number;
}

/** Counts requests per key and window; the count after this request. */
export interface RateCounter {
  increment(key: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Windows of an instance's own memory: enough for a single instance. */
export class MemoryRateCounter implements RateCounter {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();
  private incrementsSincePrune = 0;

  constructor(private readonly now: () => number) {}

  async increment(key: string, windowMs: number): Promise<number> {
    if (++this.incrementsSincePrune >= 10_000) this.prune();
    const entry = this.counts.get(key);
    if (entry) return ++entry.count;
    this.counts.set(key, { count: 1, expiresAt: this.now() + windowMs });
    return 1;
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  private prune(): void {
    this.incrementsSincePrune = 0;
    const now = this.now();
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
  }
}

/** Windows in Redis, shared by every instance: N instances enforce one limit. */
export class RedisRateCounter implements RateCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(key: string, windowMs: number): Promise<number> {
    const redisKey = `${this.prefix}:rate:${key}`;
    const [[incrError, count], [expireError]] = (await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs, 'NX').exec()) ?? [];
    if (incrError || expireError) throw incrError ?? expireError;
    return Number(count);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Fixed-window request limits (seed 004: 60 per minute per session, 1000 per hour per user, 5000 per
 * hour per agent, each configurable; 0 turns one off). Counters live in Redis when REDIS_URL is set,
 * else in memory. A request over any limit is refused with 429 RateLimitError and
 * `details.retryAfterSeconds` (also sent as Retry-After). If Redis does not answer, requests pass
 * and one warning is logged: a limit is not worth an outage.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly counter: RateCounter;
  /** Whether the counter store failed last time: an outage is logged when it starts and when it ends, not per request. */
  private storeFailing = false;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    // With every limit off nothing is ever counted: no Redis connection for it.
    const anyLimit = Object.values(config.rateLimits).some((limit) => limit > 0);
    this.counter = config.redisUrl && anyLimit
      ? new RedisRateCounter(new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on('error', () => undefined), config.redisKeyPrefix)
      : new MemoryRateCounter(() => this.clock.now());
  }

  /** Counts the request against every rule that is on; throws RateLimitError when one is exceeded. */
  async admit(rules: RateRule[]): Promise<void> {
    const now = this.clock.now();
    const active = rules.filter((rule) => rule.limit > 0);
    let counts: number[];
    try {
      counts = await Promise.all(active.map((rule) => this.counter.increment(windowKey(rule, now), rule.windowMs)));
    } catch (error) {
      if (!this.storeFailing) this.logger.warn(`Rate limits not enforced until the counter store answers again: ${(error as Error).message}`);
      this.storeFailing = true;
      return;
    }
    if (this.storeFailing) this.logger.log('Rate limits enforced again: the counter store answers');
    this.storeFailing = false;
    const exceeded = active
      .filter((rule, i) => counts[i] > rule.limit)
      .map((rule) => ({ rule, retryAfterSeconds: Math.ceil((windowStart(rule, now) + rule.windowMs - now) / 1000) }));
    if (exceeded.length === 0) return;
    // Over several limits, the one that lasts longest is the one to wait for.
    const { rule, retryAfterSeconds } = exceeded.reduce((longest, next) => (next.retryAfterSeconds > longest.retryAfterSeconds ? next : longest));
    throw new RateLimitError(`Too many requests for this ${rule.scope}: at most ${rule.limit} per ${describeWindow(rule.windowMs)}`, {
      scope: rule.scope,
      limit: rule.limit,
      windowSeconds: rule.windowMs / 1000,
      retryAfterSeconds,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.counter.close();
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
