import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabasePoolMetrics } from './metrics/database-pool.metrics';
import { MetricsController } from './metrics/metrics.controller';
import { ProbesController } from './probes.controller';
import { Readiness } from './readiness.service';
import { RedisHealthIndicator } from './redis-health.indicator';

/** What running the service needs beside its domains: the probes and the metrics. */
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [ProbesController, MetricsController],
  providers: [Readiness, RedisHealthIndicator, DatabasePoolMetrics],
})
export class OperationsModule {}
