import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { EnvironmentVariables, validateEnvironment } from './environment.schema';

/**
 * Nest's ConfigModule reads process.env once and validates it against EnvironmentVariables; a bad
 * value fails the start with a ConfigError naming the variable. No .env file is read: secrets
 * (SWITCHBOARD_ADMIN_TOKEN, OPENAI_API_KEY, credentials in DATABASE_URL/REDIS_URL) come from the
 * environment only.
 */
const environment = ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment });
// forRoot validates as this file loads; the start awaits it and fails there, so the rejection is not also an unhandled one.
environment.catch(() => undefined);

/** AppConfig, the typed object services inject, built once from the validated ConfigService. */
@Global()
@Module({
  imports: [environment],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => AppConfig.fromEnvironment((name) => config.get(name, { infer: true })),
    },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
