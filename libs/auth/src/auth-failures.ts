import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, Clock, RateLimitError } from '@switchboard/common';

const WINDOW_MS = 60_000;
/** How many addresses a report names. */
const REPORTED_ADDRESSES = 5;

/**
 * Failed authentications (tokens that are unknown, revoked or expired) per client address and
 * minute, on this instance. An address past AUTH_FAILURES_PER_MINUTE has its next failures answered
 * 429 instead of 401, until the minute ends; a valid token from it still works, so clients behind
 * the same proxy are not locked out by one of them. Each minute that had failures is logged once as
 * a warning with its count, the number of addresses and the busiest ones.
 */
@Injectable()
export class AuthFailures implements OnModuleDestroy {
  private readonly logger = new Logger('Auth');
  private readonly limit: number;
  private windowStart = 0;
  private counts = new Map<string, number>();
  private readonly reporter: NodeJS.Timeout;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limit = config.authFailuresPerMinute;
    this.reporter = setInterval(() => this.rollOver(this.clock.now()), WINDOW_MS);
    this.reporter.unref();
  }

  /** Counts a failed authentication from `address`; throws 429 RateLimitError once the address is past its limit. */
  record(address: string | undefined): void {
    const now = this.clock.now();
    this.rollOver(now);
    const key = address ?? 'unknown';
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (this.limit > 0 && count > this.limit) {
      throw new RateLimitError(`Too many failed authentications from this address: at most ${this.limit} per minute`, {
        scope: 'auth-failures',
        limit: this.limit,
        windowSeconds: WINDOW_MS / 1000,
        retryAfterSeconds: Math.ceil((this.windowStart + WINDOW_MS - now) / 1000),
      });
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.reporter);
  }

  /** Starts the window `now` falls in, reporting the one before if it had failures. */
  private rollOver(now: number): void {
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    if (start === this.windowStart) return;
    if (this.counts.size > 0) {
      const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
      const busiest = [...this.counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, REPORTED_ADDRESSES)
        .map(([address, n]) => `${address} ×${n}`)
        .join(', ');
      this.logger.warn(`${total} failed authentication(s) in the minute from ${new Date(this.windowStart).toISOString()}, from ${this.counts.size} address(es): ${busiest}`);
    }
    this.windowStart = start;
    this.counts = new Map();
  }
}
