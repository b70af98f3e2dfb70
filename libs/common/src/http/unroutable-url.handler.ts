import type { IncomingMessage, ServerResponse } from 'node:http';
import { UriTooLongError, ValidationError } from '../errors/error-classes';
import { SwitchboardError } from '../errors/switchboard.error';
import { REQUEST_ID_HEADER, requestIdFrom } from '../logging/request-id';

/*
 * The router refuses these URLs before any hook or filter runs, and its own answer echoes the
 * whole URL back. These answer with the envelope and echo nothing (Fastify's `routerOptions`).
 */

export function answerOverlongPathParameter(_path: string, request: IncomingMessage, response: ServerResponse): void {
  writeEnvelope(request, response, new UriTooLongError('A path segment is over 2,048 characters'));
}

export function answerUndecodableUrl(_path: string, request: IncomingMessage, response: ServerResponse): void {
  writeEnvelope(request, response, new ValidationError('The URL has a percent-encoded sequence that does not decode'));
}

function writeEnvelope(request: IncomingMessage, response: ServerResponse, error: SwitchboardError): void {
  const body = JSON.stringify(error.toEnvelope());
  response.writeHead(error.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    [REQUEST_ID_HEADER]: requestIdFrom(request.headers[REQUEST_ID_HEADER]),
  });
  response.end(body);
}
