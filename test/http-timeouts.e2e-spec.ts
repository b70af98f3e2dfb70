import { AddressInfo, connect, Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { createTestApp, TestApp } from './utils/test-app';
import { within } from './utils-realtime/deadline';

const TIMEOUTS = { HTTP_HEADERS_TIMEOUT_MS: '400', HTTP_REQUEST_TIMEOUT_MS: '800', HTTP_KEEP_ALIVE_TIMEOUT_MS: '400' };
/** Far past every timeout above, far below Node's and Fastify's defaults (60 s, 300 s, 72 s): a slow machine still tells them apart. */
const CLOSED_WITHIN_MS = 8_000;

interface RawConnection {
  socket: Socket;
  received: () => string;
  /** Settles when the server has closed its end for good (not merely half-closed it). */
  closed: Promise<void>;
}

/**
 * A connection the test writes to by hand, recording what the server sends and when it closes. It
 * never ends its side on its own, as a hostile client would not: the server must close it.
 */
async function open(t: TestApp): Promise<RawConnection> {
  const server = t.app.getHttpServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const socket = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const serverSide = await accepted;
  const closed = new Promise<void>((resolve) => (serverSide.destroyed ? resolve() : serverSide.once('close', () => resolve())));
  return { socket, received: () => received, closed };
}

/** Writes `chunk` every `everyMs` until the connection closes: a client that is slow, not gone. */
function trickle(connection: RawConnection, chunk: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (!connection.socket.destroyed && connection.socket.writable) connection.socket.write(chunk);
  }, everyMs);
  void connection.closed.finally(() => clearInterval(timer));
}

function expectTimeoutEnvelope(received: string): void {
  const [head, body] = received.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 408 /);
  expect(JSON.parse(body)).toEqual({ error: 'RequestTimeoutError', code: 'REQUEST_TIMEOUT', message: expect.any(String), details: {} });
}

describe('HTTP connection timeouts', () => {
  let t: TestApp;
  const connections: RawConnection[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: TIMEOUTS });
  });

  afterEach(() => {
    for (const connection of connections.splice(0)) connection.socket.destroy();
  });

  afterAll(async () => {
    await t.close();
  });

  const connection = async () => {
    const opened = await open(t);
    connections.push(opened);
    return opened;
  };

  it('closes a connection that sent part of a request line and went quiet, answering 408 in the envelope', async () => {
    const quiet = await connection();
    quiet.socket.write('GET /livez HT');

    await within(quiet.closed, CLOSED_WITHIN_MS, 'the server to close a half-sent request line');

    expectTimeoutEnvelope(quiet.received());
  });

  it('closes a connection that sends one header at a time without ever finishing them (HTTP_HEADERS_TIMEOUT_MS)', async () => {
    const slow = await connection();
    slow.socket.write('GET /livez HTTP/1.1\r\nHost: localhost\r\n');
    trickle(slow, 'X-Slow: 1\r\n', 100);

    await within(slow.closed, CLOSED_WITHIN_MS, 'the server to close a connection trickling headers');

    expectTimeoutEnvelope(slow.received());
  });

  it('closes a connection whose body trickles in past the request timeout (HTTP_REQUEST_TIMEOUT_MS)', async () => {
    const slow = await connection();
    slow.socket.write('POST /api/agents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"');
    trickle(slow, 'a', 100);

    await within(slow.closed, CLOSED_WITHIN_MS, 'the server to close a connection trickling its body');

    expectTimeoutEnvelope(slow.received());
  });

  it('answers a request on a kept-alive connection, then closes the connection once idle (HTTP_KEEP_ALIVE_TIMEOUT_MS)', async () => {
    const idle = await connection();
    idle.socket.write('GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n');

    await within(idle.closed, CLOSED_WITHIN_MS, 'the server to close an idle keep-alive connection');

    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.received().toLowerCase()).toContain('connection: keep-alive');
  });

  it('runs the HTTP server with the configured timeouts', () => {
    const server = t.app.getHttpServer();

    expect({ headersTimeout: server.headersTimeout, requestTimeout: server.requestTimeout, keepAliveTimeout: server.keepAliveTimeout }).toEqual({
      headersTimeout: 400,
      requestTimeout: 800,
      keepAliveTimeout: 400,
    });
  });

  it('logs a client that aborts mid-body at debug level, never as an error with a stack', async () => {
    const errors = vi.spyOn(Logger.prototype, 'error');
    let noticed!: () => void;
    const debugged = new Promise<void>((resolve) => (noticed = resolve));
    const debug = vi.spyOn(Logger.prototype, 'debug').mockImplementation((message: unknown) => {
      if (String(message).includes('closed its connection')) noticed();
    });
    try {
      const aborting = await connection();
      aborting.socket.write('POST /api/agents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"half');
      await new Promise<void>((resolve) => aborting.socket.write('', () => resolve()));
      aborting.socket.destroy();

      await within(debugged, CLOSED_WITHIN_MS, 'the abort to be logged at debug level');

      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      debug.mockRestore();
    }
  });
});
