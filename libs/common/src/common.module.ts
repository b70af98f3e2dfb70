import { Global, Module } from '@nestjs/common';
import { AppConfigModule } from './config/app-config.module';
import { Clock, SystemClock } from './clock';
import { EventBus } from './events/event-bus';
import { DrainState } from './drain-state';

/** Configuration, time, the domain event bus and the drain state, available everywhere. Tests override ConfigService (the environment), Clock or any other provider. */
@Global()
@Module({
  imports: [AppConfigModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
    EventBus,
    DrainState,
  ],
  exports: [AppConfigModule, Clock, EventBus, DrainState],
})
export class CommonModule {}
