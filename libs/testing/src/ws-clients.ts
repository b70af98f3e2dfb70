import { WebSocket } from 'ws';
import { until, within } from './deadline';

/** How long a suite waits for any one frame; the echo provider answers at once. */
export const FRAME_TIMEOUT_MS = 3_000;

/** A server frame: seed 003's envelope. */
export interface WsFrame<D = Record<string, unknown>> {
  id?: string | number;
  type: string;
  data: D;
  timestamp: string;
}

export interface WsErrorFrame extends WsFrame<{ code: string; message: string; details: string; context: Record<string, unknown> }> {
  type: 'error';
}

export interface WsClosed {
  code: number;
  reason: string;
}

export type TokenCarrier = 'bearer' | 'x-api-key' | 'query';

export interface WsConnectOptions {
  token?: string;
  /** How the token travels in the handshake; `bearer` unless told. */
  via?: TokenCarrier;
  /** False: the client leaves the server's pings unanswered (ws ≥ 8.16), as a dead peer would. */
  autoPong?: boolean;
}

export type FramePredicate = (frame: WsFrame) => boolean;

export const ofType =
  (type: string, id?: string | number): FramePredicate =>
  (frame) =>
    frame.type === type && (id === undefined || frame.id === id);

/**
 * One `ws` client that records every frame from the moment it is created. `next()` hands out each
 * matching frame once, in arrival order, waiting for it with a deadline; `barrier()` is a ping/pong
 * round trip, after which every frame the server sent before answering it has arrived.
 */
export class WsTestClient {
  readonly frames: WsFrame[] = [];
  /** Settles when the connection closes, with the code and reason the client saw. */
  readonly closed: Promise<WsClosed>;
  private readonly handedOut = new Set<WsFrame>();
  private readonly listeners = new Set<() => void>();
  private requests = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly name: string,
  ) {
    socket.on('message', (raw, isBinary) => {
      this.frames.push(JSON.parse(isBinary ? Buffer.from(raw as Buffer).toString() : raw.toString()) as WsFrame);
      this.listeners.forEach((wake) => wake());
    });
    // The server may cut the connection mid-write (oversized frame, dead peer): not a test failure by itself.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** A fresh request id, unique on this connection. */
  nextId(prefix = 'req'): string {
    return `${prefix}-${++this.requests}`;
  }

  send(frame: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Sends `frame` with a fresh id (unless it has one) and returns the id. */
  request(frame: Record<string, unknown>): string | number {
    const id = (frame.id as string | number | undefined) ?? this.nextId(String(frame.type));
    this.send({ ...frame, id });
    return id;
  }

  /** Sends a request and resolves with the first frame answering it (any type, the same id). */
  async call(frame: Record<string, unknown>, timeoutMs = FRAME_TIMEOUT_MS): Promise<WsFrame> {
    const id = this.request(frame);
    return this.next((f) => f.id === id, timeoutMs);
  }

  /** The first matching frame not handed out before; waits for one until the deadline. */
  async next(predicate: FramePredicate, timeoutMs = FRAME_TIMEOUT_MS, what = 'a matching frame'): Promise<WsFrame> {
    const find = () => this.frames.find((f) => !this.handedOut.has(f) && predicate(f));
    await until(
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      () => find() !== undefined,
      timeoutMs,
      `${what} on ${this.name} (received: ${this.frames.map((f) => f.type).join(', ') || 'nothing'})`,
    );
    const frame = find()!;
    this.handedOut.add(frame);
    return frame;
  }

  /** Every frame received so far that matches, handed out or not. */
  all(predicate: FramePredicate = () => true): WsFrame[] {
    return this.frames.filter(predicate);
  }

  /** A position in the log: `since(mark)` returns what arrived after it. */
  mark(): number {
    return this.frames.length;
  }

  since(mark: number, predicate: FramePredicate = () => true): WsFrame[] {
    return this.frames.slice(mark).filter(predicate);
  }

  /** A ping/pong round trip on this connection. */
  async barrier(): Promise<void> {
    const id = this.nextId('barrier');
    this.send({ id, type: 'ping' });
    await this.next(ofType('pong', id), FRAME_TIMEOUT_MS, `pong ${id}`);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    if (this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    else this.socket.close();
    await within(this.closed, FRAME_TIMEOUT_MS, `${this.name} to close`).catch(() => this.socket.terminate());
  }
}

/** The /ws clients one suite opens; `closeAll()` in `afterEach` so none outlives its test, or the app. */
export class WsPool {
  private readonly clients = new Set<WsTestClient>();
  private opened = 0;

  /** Connections to the app `app()` returns when each is opened. */
  constructor(private readonly app: () => { baseUrl: string }) {}

  /** A connection whose upgrade was accepted; the server may still refuse it with an `error` frame. */
  async open({ token, via = 'bearer', autoPong = true }: WsConnectOptions = {}): Promise<WsTestClient> {
    const url = new URL(`${this.app().baseUrl.replace('http', 'ws')}/ws`);
    const headers: Record<string, string> = {};
    if (token !== undefined && via === 'bearer') headers.Authorization = `Bearer ${token}`;
    if (token !== undefined && via === 'x-api-key') headers['X-API-KEY'] = token;
    if (token !== undefined && via === 'query') url.searchParams.set('token', token);
    const socket = new WebSocket(url, { headers, autoPong });
    const client = new WsTestClient(socket, `ws client ${++this.opened}`);
    this.clients.add(client);
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_, response) => reject(new Error(`The /ws upgrade was answered ${response.statusCode}`)));
      socket.once('error', reject);
    });
    await within(opened, FRAME_TIMEOUT_MS, 'the /ws upgrade');
    return client;
  }

  /** An authenticated connection: the server has sent `connected`. */
  async connect(options: WsConnectOptions): Promise<WsTestClient> {
    const client = await this.open(options);
    const answer = await client.next((f) => f.type === 'connected' || f.type === 'error', FRAME_TIMEOUT_MS, 'connected');
    if (answer.type !== 'connected') throw new Error(`The /ws handshake was refused: ${JSON.stringify(answer.data)}`);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.close()));
    this.clients.clear();
  }
}
