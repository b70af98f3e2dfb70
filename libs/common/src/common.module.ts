import { Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';
import { DrainState } from './drain-state';

/** Configuration, time, the domain event bus and the drain state, available everywhere. Tests override either provider. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => AppConfig.fromEnv() },
    { provide: Clock, useClass: SystemClock },
    EventBus,
    DrainState,
  ],
  exports: [AppConfig, Clock, EventBus, DrainState],
})
export class CommonModule {}
