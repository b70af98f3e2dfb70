import { Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { Clock, SystemClock } from './clock';

/** Configuration and time, available everywhere. Tests override either provider. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => AppConfig.fromEnv() },
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [AppConfig, Clock],
})
export class CommonModule {}
