import { HttpException } from '@nestjs/common';
import {
  ForbiddenError,
  InternalError,
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
  RequestError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './error-classes';
import { SwitchboardError } from './switchboard.error';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Maps anything thrown into one of our error classes, so that HTTP and socket
 * transports write the same envelope. Unknown failures become a bare InternalError:
 * their message and stack stay in the log, never in the response.
 */
export function toSwitchboardError(exception: unknown): SwitchboardError {
  if (exception instanceof SwitchboardError) return exception;
  const parserError = exception as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') {
    return new MalformedJsonError('The request body is not valid JSON');
  }
  if (parserError?.type === 'entity.too.large') {
    return new PayloadTooLargeError('The request body is too large', { limitBytes: parserError.limit });
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  return new InternalError('An unexpected error occurred');
}

function fromHttpException(exception: HttpException): SwitchboardError {
  const status = exception.getStatus();
  const cause = exception.cause as BodyParserError | undefined;
  if (cause?.type) return toSwitchboardError(cause);
  const message = exception.message;
  switch (status) {
    case 400:
      return new ValidationError(message);
    case 401:
      return new UnauthorizedError(message);
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    case 413:
      return new PayloadTooLargeError(message);
    case 415:
      return new UnsupportedMediaTypeError(message);
    case 503:
      return new ServiceUnavailableError(message);
    default:
      return status < 500 ? new RequestError(status, message) : new InternalError('An unexpected error occurred');
  }
}
