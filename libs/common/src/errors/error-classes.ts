import { SwitchboardError } from './switchboard.error';

/* The error classes of the Sessions API (seed 000), plus the transport-level ones every route can raise. */

export class ValidationError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'VALIDATION_ERROR';
}

export class MissingFieldsError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'MISSING_FIELDS';
}

export class InvalidUuidError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'INVALID_UUID';
}

export class InvalidContentError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'INVALID_CONTENT';
}

export class InvalidMetadataError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'INVALID_METADATA';
}

export class InvalidPaginationError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'INVALID_PAGINATION';
}

export class InvalidTimeoutConfigError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'INVALID_TIMEOUT_CONFIG';
}

export class MalformedJsonError extends SwitchboardError {
  readonly status = 400;
  readonly code = 'MALFORMED_JSON';
}

export class UnauthorizedError extends SwitchboardError {
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends SwitchboardError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

export class SessionNotFoundError extends SwitchboardError {
  readonly status = 404;
  readonly code = 'SESSION_NOT_FOUND';
}

export class AgentNotFoundError extends SwitchboardError {
  readonly status = 404;
  readonly code = 'AGENT_NOT_FOUND';
}

export class NotFoundError extends SwitchboardError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class RequestTimeoutError extends SwitchboardError {
  readonly status = 408;
  readonly code = 'REQUEST_TIMEOUT';
}

export class ConflictError extends SwitchboardError {
  readonly status = 409;
  readonly code = 'CONFLICT';
}

export class SessionExpiredError extends SwitchboardError {
  readonly status = 410;
  readonly code = 'SESSION_EXPIRED';
}

export class PayloadTooLargeError extends SwitchboardError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UriTooLongError extends SwitchboardError {
  readonly status = 414;
  readonly code = 'URI_TOO_LONG';
}

export class UnsupportedMediaTypeError extends SwitchboardError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class SessionRenewalError extends SwitchboardError {
  readonly status = 422;
  readonly code = 'SESSION_RENEWAL_FAILED';
}

export class RateLimitError extends SwitchboardError {
  readonly status = 429;
  readonly code = 'RATE_LIMIT_EXCEEDED';
}

export class SessionCreationError extends SwitchboardError {
  readonly status = 500;
  readonly code = 'SESSION_CREATION_FAILED';
}

export class MessageSendError extends SwitchboardError {
  readonly status = 500;
  readonly code = 'MESSAGE_SEND_FAILED';
}

export class InternalError extends SwitchboardError {
  readonly status = 500;
  readonly code = 'INTERNAL_ERROR';
}

export class ServiceUnavailableError extends SwitchboardError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** A 4xx raised by the framework itself (e.g. 405) that the contract gives no class of its own. */
export class RequestError extends SwitchboardError {
  readonly code = 'BAD_REQUEST';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class ChannelNotFoundError extends SwitchboardError {
  readonly status = 404;
  readonly code = 'CHANNEL_NOT_FOUND';
}
