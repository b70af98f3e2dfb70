import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MalformedJsonError, UnsupportedMediaTypeError, ValidationError } from '../errors/error-classes';

/** Body size for every request: metadata (16 KB) plus content (10,000 characters, up to 40 KB in UTF-8) with room to spare. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** No request of the contract nests deeper than metadata's 5 levels plus a few of its own. */
export const MAX_BODY_DEPTH = 16;

/** Depth of a JSON value without recursion, so a hostile body cannot overflow the stack. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Makes JSON the only body the server reads: a body of any other type is refused with 415 unread
 * (validation would otherwise report every field as missing), one that is not a JSON object or
 * array with 400 `MalformedJsonError`, one nested deeper than any request needs with 400 before
 * validation copies it recursively, one over BODY_LIMIT_BYTES with 413. Requests without a body
 * (heartbeat, renew) pass whatever their Content-Type says.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body as string);
    } catch {
      return done(new MalformedJsonError('The request body is not valid JSON'), undefined);
    }
    if (parsed === null || typeof parsed !== 'object') {
      return done(new MalformedJsonError('The request body must be a JSON object'), undefined);
    }
    if (exceedsDepth(parsed, MAX_BODY_DEPTH)) {
      return done(new ValidationError(`The body is nested deeper than ${MAX_BODY_DEPTH} levels`, { maxDepth: MAX_BODY_DEPTH }), undefined);
    }
    done(null, parsed);
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    if (!hasBody(request)) return done(null, undefined);
    const contentType = request.headers['content-type'] ?? null;
    done(new UnsupportedMediaTypeError(`Send the body as application/json, not ${contentType ?? 'without a Content-Type'}`, { contentType }), undefined);
  });
}

function hasBody(request: FastifyRequest): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
