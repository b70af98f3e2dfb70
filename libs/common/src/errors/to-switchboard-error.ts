import { HttpException } from '@nestjs/common';
import {
  ForbiddenError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RequestError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './error-classes';
import { BODY_LIMIT_BYTES } from '../http/json-body';
import { SwitchboardError } from './switchboard.error';

/** What Fastify throws itself (`FST_…` codes) while reading a request, before any route runs. */
interface FastifyError {
  code: string;
  statusCode: number;
  message: string;
}

/**
 * Maps anything thrown into one of our error classes, so that HTTP and socket
 * transports write the same envelope. Unknown failures become a bare InternalError:
 * their message and stack stay in the log, never in the response.
 */
export function toSwitchboardError(exception: unknown): SwitchboardError {
  if (exception instanceof SwitchboardError) return exception;
  // Nest hands Fastify's 4xx failures on as an HttpException caused by them.
  const fastifyError = exception instanceof HttpException ? exception.cause : exception;
  if (isFastifyError(fastifyError)) {
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new PayloadTooLargeError('The request body is too large', { limitBytes: BODY_LIMIT_BYTES });
    }
    return fromStatus(fastifyError.statusCode, fastifyError.message);
  }
  if (exception instanceof HttpException) {
    return fromStatus(exception.getStatus(), exception.message);
  }
  return new InternalError('An unexpected error occurred');
}

function isFastifyError(error: unknown): error is FastifyError {
  const candidate = error as Partial<FastifyError> | null | undefined;
  return typeof candidate?.code === 'string' && candidate.code.startsWith('FST_') && typeof candidate.statusCode === 'number';
}

function fromStatus(status: number, message: string): SwitchboardError {
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
      return status >= 400 && status < 500 ? new RequestError(status, message) : new InternalError('An unexpected error occurred');
  }
}
