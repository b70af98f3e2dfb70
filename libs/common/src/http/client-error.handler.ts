import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '../errors/error-classes';

/**
 * Answers requests Node's HTTP parser refuses before any route sees them (headers over 16 KB, a
 * request line that is not HTTP) with the error envelope, instead of a bare status line. It is the
 * server's `clientError` handler (Fastify's `clientErrorHandler` option).
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message = status === 431 ? 'The request line and headers are over 16 KB' : 'The request is not valid HTTP';
  const body = JSON.stringify(new RequestError(status, message).toEnvelope());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
