import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@switchboard/common';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createHttpAdapter, listenHost } from './bootstrap';
import { SWAGGER_PATH } from './swagger';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(config), { ...APP_OPTIONS, logger: config.enabledLogLevels });
  configureApp(app);
  exitAfterGrace(config.shutdownGraceSeconds);
  await app.listen(config.port, listenHost(config.host));
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const logger = new Logger('Switchboard');
  logger.log(`Listening on ${url}`);
  logger.log(`Swagger UI: ${url}/${SWAGGER_PATH} (JSON at ${url}/${SWAGGER_PATH}-json)`);
  logger.log(
    config.adminToken
      ? 'Authenticate with "Authorization: Bearer $SWITCHBOARD_ADMIN_TOKEN" (Swagger UI: Authorize)'
      : 'Authenticate with "Authorization: Bearer <api key>" (Swagger UI: Authorize); the first start printed an admin key above',
  );
}

/**
 * The drain (ShutdownDrain) ends within the grace; should anything still hold the process (a peer
 * that never finishes a close handshake), it exits anyway once the grace is over.
 */
function exitAfterGrace(graceSeconds: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Still shutting down after SHUTDOWN_GRACE_SECONDS=${graceSeconds}: exiting now`);
        process.exit(1);
      }, graceSeconds * 1000).unref();
    });
  }
}

void main();
