import { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorEnvelopeFilter, createValidationPipe } from '@switchboard/common';
import { setupSwagger } from './swagger';

/** Sized for metadata (16 KB) plus content (10,000 characters, up to 40 KB in UTF-8) with room to spare. */
export const BODY_LIMIT = '256kb';

/** Everything main.ts and the e2e suites set up the same way. Create the app with `{ bodyParser: false }`. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useGlobalFilters(new ErrorEnvelopeFilter());
  app.useGlobalPipes(createValidationPipe());
  setupSwagger(app);
  app.enableShutdownHooks();
  return app;
}
