import { ArgumentsHost, Catch, ExceptionFilter, HttpServer, Logger } from '@nestjs/common';
import { RateLimitError } from '../errors/error-classes';
import { toSwitchboardError } from '../errors/to-switchboard-error';
import { SwitchboardError } from '../errors/switchboard.error';

/** The one place HTTP failures are written: always the envelope, never a stack trace. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(private readonly http: HttpServer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    const error = toSwitchboardError(exception);
    // Unexpected failures are logged here with their stack; the service's own 5xx errors were logged where they arose.
    if (error.status >= 500 && !(exception instanceof SwitchboardError)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (this.http.isHeadersSent(response)) {
      this.http.end(response);
      return;
    }
    if (error instanceof RateLimitError && typeof error.details.retryAfterSeconds === 'number') {
      this.http.setHeader(response, 'Retry-After', String(error.details.retryAfterSeconds));
    }
    this.http.reply(response, error.toEnvelope(), error.status);
  }
}
