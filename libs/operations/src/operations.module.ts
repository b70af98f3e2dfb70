import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProbesController } from './probes.controller';
import { Readiness } from './readiness.service';
import { RedisHealthIndicator } from './redis-health.indicator';

/** What running the service needs beside its domains: the probes. */
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [ProbesController],
  providers: [Readiness, RedisHealthIndicator],
})
export class OperationsModule {}
