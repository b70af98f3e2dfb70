import { Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/app-config.module';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';
import { DrainState } from './drain-state';
import { RedisConnections } from './redis/redis-connections';
import { Metrics } from './metrics/metrics';

/** Configuration, time, the domain event bus, the drain state, the Redis connections and the metrics, available everywhere. Tests override ConfigService (the environment), Clock or any other provider. */
@Global()
@Module({
  imports: [AppConfigModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventBus,
    DrainState,
    RedisConnections,
    Metrics,
  ],
  exports: [AppConfigModule, Clock, EventBus, DrainState, RedisConnections, Metrics],
})
export class CommonModule {}
