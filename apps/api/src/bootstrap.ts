import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppConfig, BusLogger, ErrorEnvelopeFilter, EventBus, answerUnparsableRequests, createValidationPipe, rejectDeepJson, requireJsonBody } from '@switchboard/common';
import { RealtimeIoAdapter } from '@switchboard/realtime';
import { setupSwagger } from './swagger';

/** Sized for metadata (16 KB) plus content (10,000 characters, up to 40 KB in UTF-8) with room to spare. */
export const BODY_LIMIT = '256kb';

/** Everything main.ts and the e2e suites set up the same way. Create the app with `{ bodyParser: false }`. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(new BusLogger(app.get(EventBus), config.enabledLogLevels));
  app.disable('x-powered-by');
  answerUnparsableRequests(app.getHttpServer());
  // Internal deployments are often reached over plain http by host name: upgrading Swagger UI's
  // asset requests to https would break it there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.enableCors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false });
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config));
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(rejectDeepJson);
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
