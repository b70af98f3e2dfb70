import { Injectable } from '@nestjs/common';
import { HealthCheckAttempt, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { RedisConnections } from '@switchboard/common';

/** Longer than a PING takes on any working network; a Redis that takes longer is not one to rely on. */
export const REDIS_PING_TIMEOUT_MS = 1_000;

/** Whether the instance reaches its Redis (REDIS_URL): a PING on a connection of its own, from RedisConnections. */
@Injectable()
export class RedisHealthIndicator {
  /** Made at boot, so the first probe finds it connected. */
  private readonly connection: Redis | undefined;

  constructor(
    private readonly health: HealthIndicatorService,
    redis: RedisConnections,
  ) {
    this.connection = redis.configured ? redis.connection('readiness', 'request') : undefined;
  }

  /** Whether there is a Redis to check. */
  get configured(): boolean {
    return this.connection !== undefined;
  }

  pingCheck<Key extends string>(key: Key): HealthCheckAttempt<Key> {
    return this.health
      .check(key)
      .attempt(async () => {
        if (!this.connection) throw new Error('No REDIS_URL');
        await this.connection.ping();
      })
      .withTimeout(REDIS_PING_TIMEOUT_MS);
  }
}
