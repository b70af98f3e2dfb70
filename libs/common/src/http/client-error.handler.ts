import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError, RequestTimeoutError } from '../errors/error-classes';
import { SwitchboardError } from '../errors/switchboard.error';

function refusalOf(code: string | undefined): SwitchboardError {
  if (code === 'HPE_HEADER_OVERFLOW') return new RequestError(431, 'The request line and headers are over 16 KB');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestTimeoutError('The request was not received in time');
  return new RequestError(400, 'The request is not valid HTTP');
}

/**
 * Answers requests Node's HTTP parser refuses before any route sees them (headers over 16 KB, a
 * request line that is not HTTP, a request past its headers or request timeout) with the error
 * envelope, instead of a bare status line, and closes the connection. It is the server's
 * `clientError` handler (Fastify's `clientErrorHandler` option). Node's sockets are half-open: ending
 * ours alone would leave a client that never ends its side holding the connection for ever.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const refusal = refusalOf(error.code);
  const { status } = refusal;
  const body = JSON.stringify(refusal.toEnvelope());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
