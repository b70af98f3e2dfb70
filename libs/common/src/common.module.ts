import { Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/app-config.module';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';
import { DrainState } from './drain-state';
import { RedisConnections } from './redis/redis-connections';
import { Metrics } from './metrics/metrics';
import { AccessLog } from './logging/access-log';
import { AppLogger } from './logging/app-logger';
import { LOG_DESTINATION, LogSink } from './logging/log-sink';

/** Configuration, time, the domain event bus, the drain state, the Redis connections, the metrics and the logs, available everywhere. Tests override ConfigService (the environment), Clock or any other provider. */
@Global()
@Module({
  imports: [AppConfigModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventBus,
    DrainState,
    RedisConnections,
    Metrics,
    { provide: LOG_DESTINATION, useValue: process.stdout },
    LogSink,
    AppLogger,
    AccessLog,
  ],
  exports: [AppConfigModule, Clock, EventBus, DrainState, RedisConnections, Metrics, LogSink, AppLogger, AccessLog],
})
export class CommonModule {}
