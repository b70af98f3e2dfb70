import type { NextFunction, Request, Response } from 'express';
import { UnsupportedMediaTypeError } from '../errors/error-classes';

/**
 * Refuses a body that is not `application/json` with 415, before it is read: the JSON parser
 * would skip it and validation would then report every field as missing. Requests without a
 * body (heartbeat, renew) pass whatever their Content-Type says.
 */
export function requireJsonBody(request: Request, _response: Response, next: NextFunction): void {
  if (hasBody(request) && !request.is('application/json')) {
    const contentType = request.headers['content-type'] ?? null;
    next(new UnsupportedMediaTypeError(`Send the body as application/json, not ${contentType ?? 'without a Content-Type'}`, { contentType }));
    return;
  }
  next();
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
