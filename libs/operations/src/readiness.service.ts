import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DrainState, ServiceUnavailableError } from '@switchboard/common';
import { RedisHealthIndicator } from './redis-health.indicator';

export const DATABASE_PING_TIMEOUT_MS = 1_000;

/**
 * Whether the instance should get traffic: not while it drains, and only while its database and,
 * when REDIS_URL is set, its Redis answer. A failure is the error envelope's 503, naming what is
 * down in its message, with terminus's result as its details.
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly drain: DrainState,
  ) {}

  async check(): Promise<HealthCheckResult> {
    // First thing a drain changes, so load balancers stop sending before connections are refused.
    if (this.drain.draining) throw new ServiceUnavailableError('This instance is shutting down');
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(DATABASE_PING_TIMEOUT_MS),
        ...(this.redis.configured ? [() => this.redis.pingCheck('redis')] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new ServiceUnavailableError(`Not ready: ${down.join(' and ')} ${down.length === 1 ? 'does' : 'do'} not answer`, { ...result });
    }
  }
}
