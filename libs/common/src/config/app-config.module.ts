import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { EnvironmentVariables, validateEnvironment } from './environment.schema';

/**
 * Nest's ConfigService over process.env validated against EnvironmentVariables, read once per app
 * as it is created (not as this file loads, which ConfigModule.forRoot does: an app created later
 * in the same process, as the benches and tests do, would get the first app's environment); a bad
 * value fails the start with a ConfigError naming the variable. No .env file is read: secrets
 * (SWITCHBOARD_ADMIN_TOKEN, OPENAI_API_KEY, credentials in DATABASE_URL/REDIS_URL) come from the
 * environment only.
 */
const environment = { provide: ConfigService, useFactory: () => new ConfigService(validateEnvironment(process.env)) };

/** AppConfig, the typed object services inject, built once from the validated ConfigService. */
@Global()
@Module({
  providers: [
    environment,
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => AppConfig.fromEnvironment((name) => config.get(name, { infer: true })),
    },
  ],
  exports: [ConfigService, AppConfig],
})
export class AppConfigModule {}
