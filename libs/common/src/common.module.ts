import { Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';

/** Configuration, time and the domain event bus, available everywhere. Tests override either provider. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => AppConfig.fromEnv() },
    { provide: Clock, useClass: SystemClock },
    EventBus,
  ],
  exports: [AppConfig, Clock, EventBus],
})
export class CommonModule {}
