import { Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';
import { DrainState } from './drain-state';
import { RedisConnections } from './redis/redis-connections';

/** Configuration, time, the domain event bus, the drain state and the Redis connections, available everywhere. Tests override either provider. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => AppConfig.fromEnv() },
    { provide: Clock, useClass: SystemClock },
    EventBus,
    DrainState,
    RedisConnections,
  ],
  exports: [AppConfig, Clock, EventBus, DrainState, RedisConnections],
})
export class CommonModule {}
