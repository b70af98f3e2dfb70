import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

export class ErrorEnvelopeDto {
  @ApiProperty({ example: 'SessionNotFoundError', description: 'The error class' })
  error!: string;

  @ApiProperty({ example: 'SESSION_NOT_FOUND', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Session 3f1c… does not exist' })
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  details!: Record<string, unknown>;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: ValidationError, MissingFieldsError, InvalidUuidError, InvalidContentError, InvalidMetadataError, InvalidPaginationError, InvalidTimeoutConfigError or MalformedJsonError',
  401: 'Missing or unknown token (UnauthorizedError)',
  403: 'The token lacks the scope or is bound to another session (ForbiddenError)',
  404: 'The resource does not exist',
  409: 'Conflicts with existing state (ConflictError)',
  410: 'The session has expired (SessionExpiredError, details.expiresAt)',
  413: 'The body is over the size limit (PayloadTooLargeError)',
  415: 'The body is not application/json (UnsupportedMediaTypeError)',
  422: 'The session cannot be renewed: it reached its maximum duration (SessionRenewalError)',
  429: 'Rate limit exceeded (RateLimitError, Retry-After header)',
  503: 'The service or its database does not answer (ServiceUnavailableError)',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until the exceeded limit\'s window ends', schema: { type: 'integer' } } };

/** Documents the error envelope for each status a route can answer with. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorEnvelopeDto, ...(status === 429 ? { headers: RETRY_AFTER } : {}) })),
  );
}
