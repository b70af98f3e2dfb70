import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@switchboard/common';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { SWAGGER_PATH } from './swagger';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: config.enabledLogLevels });
  configureApp(app);
  await (config.host ? app.listen(config.port, config.host) : app.listen(config.port));
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

void main();
