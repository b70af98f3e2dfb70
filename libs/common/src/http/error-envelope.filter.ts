import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimitError } from '../errors/error-classes';
import { toSwitchboardError } from '../errors/to-switchboard-error';
import { SwitchboardError } from '../errors/switchboard.error';

/** The one place HTTP failures are written: always the envelope, never a stack trace. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toSwitchboardError(exception);
    // Unexpected failures are logged here with their stack; the service's own 5xx errors were logged where they arose.
    if (error.status >= 500 && !(exception instanceof SwitchboardError)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    if (error instanceof RateLimitError && typeof error.details.retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(error.details.retryAfterSeconds));
    }
    response.status(error.status).json(error.toEnvelope());
  }
}
