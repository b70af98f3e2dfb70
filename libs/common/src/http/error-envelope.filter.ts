import { ArgumentsHost, Catch, ExceptionFilter, HttpServer, Logger } from '@nestjs/common';
import { RateLimitError } from '../errors/error-classes';
import { toSwitchboardError } from '../errors/to-switchboard-error';
import { SwitchboardError } from '../errors/switchboard.error';
import { Metrics } from '../metrics/metrics';

/** The one place HTTP failures are written: always the envelope, never a stack trace. */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(
    private readonly http: HttpServer,
    private readonly metrics: Metrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response: unknown = host.switchToHttp().getResponse();
    if (isClientAbort(exception)) {
      // Anyone can cause this, without a token: not worth an error log.
      this.logger.debug(`A client closed its connection before its request was complete (${exception.message})`);
      this.http.end(response);
      return;
    }
    const error = toSwitchboardError(exception);
    // Unexpected failures are logged here with their stack; the service's own 5xx errors were logged where they arose.
    if (error.status >= 500 && !(exception instanceof SwitchboardError)) {
      const { id } = host.switchToHttp().getRequest<{ id?: string }>();
      this.logger.error(`Request ${id} failed: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
    }
    if (this.http.isHeadersSent(response)) {
      this.http.end(response);
      return;
    }
    if (error instanceof RateLimitError) {
      this.metrics.rateLimitRefused('http', error.details.scope);
      if (typeof error.details.retryAfterSeconds === 'number') this.http.setHeader(response, 'Retry-After', String(error.details.retryAfterSeconds));
    }
    this.http.reply(response, error.toEnvelope(), error.status);
  }
}

/** What Node raises while reading a request body the client stopped sending by closing its connection. */
function isClientAbort(exception: unknown): exception is Error {
  return exception instanceof Error && (exception as Error & { code?: string }).code === 'ECONNRESET' && exception.message === 'aborted';
}
