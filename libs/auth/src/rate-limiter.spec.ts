import { Logger } from '@nestjs/common';
import { AppConfig, RateLimitError, RedisConnections } from '@switchboard/common';
import { FakeClock } from '@switchboard/testing';
import { RateLimiter, RateRule } from './rate-limiter';

const MINUTE_MS = 60_000;

describe('RateLimiter', () => {
  let clock: FakeClock;
  let limiter: RateLimiter;
  const perMinute = (limit: number, subject = 'session-1'): RateRule => ({ scope: 'session', subject, limit, windowMs: MINUTE_MS });

  beforeEach(() => {
    // 45 s into a minute, so the window has 15 s left.
    clock = new FakeClock(Date.UTC(2026, 0, 1, 9, 0, 45));
    const config = AppConfig.fromEnv({});
    limiter = new RateLimiter(config, new RedisConnections(config), clock);
  });

  it('admits up to the limit, then refuses with the seconds left in the window', async () => {
    for (let i = 0; i < 3; i++) await limiter.admit([perMinute(3)]);

    const refusal = await limiter.admit([perMinute(3)]).then(() => null, (error: unknown) => error);

    expect(refusal).toBeInstanceOf(RateLimitError);
    expect((refusal as RateLimitError).details).toEqual({ scope: 'session', limit: 3, windowSeconds: 60, retryAfterSeconds: 15 });
  });

  it('starts over in the next window, and counts each subject apart', async () => {
    await limiter.admit([perMinute(1)]);
    await limiter.admit([perMinute(1, 'session-2')]);

    clock.advanceMs(15_000);

    await expect(limiter.admit([perMinute(1)])).resolves.toBeUndefined();
  });

  it('names the limit that lasts longest when several are exceeded', async () => {
    const rules = [perMinute(1), { scope: 'user', subject: 'user-1', limit: 1, windowMs: 60 * MINUTE_MS }];
    await limiter.admit(rules);

    const refusal = await limiter.admit(rules).then(() => null, (error: unknown) => error);

    expect((refusal as RateLimitError).details).toMatchObject({ scope: 'user', retryAfterSeconds: 59 * 60 + 15 });
  });

  it('counts a refused request against no limit: flooding one session leaves its user\'s budget untouched', async () => {
    const user = { scope: 'user', subject: 'user-1', limit: 5, windowMs: 60 * MINUTE_MS };
    for (let i = 0; i < 3; i++) await limiter.admit([perMinute(3), user]);
    for (let i = 0; i < 20; i++) await expect(limiter.admit([perMinute(3), user])).rejects.toBeInstanceOf(RateLimitError);

    await limiter.admit([perMinute(3, 'session-2'), user]);
    await limiter.admit([perMinute(3, 'session-2'), user]);

    await expect(limiter.admit([perMinute(3, 'session-2'), user])).rejects.toMatchObject({ details: { scope: 'user' } });
  });

  it('ignores a limit of 0', async () => {
    for (let i = 0; i < 100; i++) await limiter.admit([perMinute(0)]);
  });

  it('lets requests through when the Redis it counts in does not answer, and warns once, not per request', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const config = AppConfig.fromEnv({ REDIS_URL: 'redis://127.0.0.1:1' });
    const redis = new RedisConnections(config);
    const unreachable = new RateLimiter(config, redis, clock);
    try {
      for (let i = 0; i < 3; i++) await unreachable.admit([perMinute(1)]);

      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      error.mockRestore();
      await redis.onApplicationShutdown();
    }
  });
});
