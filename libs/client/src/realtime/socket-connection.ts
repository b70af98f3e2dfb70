import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { Emitter } from '../emitter.js';
import { SwitchboardSocketError } from '../errors.js';
import type { Ack, ClientEventPayload, ClientEventResult, ClientToServerEvents, ServerEventPayload, ServerToClientEvents, SocketClientEvent } from './socket-events.js';

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SocketConnectionOptions {
  baseUrl: string;
  token?: string;
  /** How long an emit waits for its ack. */
  ackTimeoutMs?: number;
  /** Passed to socket.io-client (transports, reconnection delays, …). */
  io?: Partial<ManagerOptions & SocketOptions>;
}

export interface SocketConnectionEvents {
  /** Every (re)connection, with what the server said; `reconnect` is false the first time. */
  connected: ServerEventPayload<'connection_established'> & { reconnect: boolean };
  disconnected: { reason: string };
  /** The handshake was refused (bad token) or the server cannot be reached; socket.io keeps retrying unless refused. */
  connectError: { message: string; data?: unknown };
}

/**
 * One Socket.IO connection, typed by the events the server is compiled against. Reconnects by itself
 * (socket.io-client's backoff); rooms are rejoined by the conversations that use it.
 */
export class SocketConnection extends Emitter<SocketConnectionEvents> {
  readonly socket: TypedSocket;
  private readonly ackTimeoutMs: number;
  private established: Promise<ServerEventPayload<'connection_established'>>;
  private connections = 0;
  private closed = false;

  constructor(options: SocketConnectionOptions) {
    super();
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.socket = io(options.baseUrl, {
      auth: options.token ? { token: options.token } : {},
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      ...options.io,
    });
    this.established = this.nextEstablished();
    this.socket.on('connection_established', (payload) => {
      this.emit('connected', { ...payload, reconnect: this.connections++ > 0 });
    });
    this.socket.on('disconnect', (reason) => {
      this.established = this.nextEstablished();
      this.emit('disconnected', { reason });
      // socket.io-client does not come back by itself when the server ended the connection, which a
      // draining instance does; the handshake decides whether this client may (a revoked key may not).
      if (reason === 'io server disconnect' && !this.closed) {
        const delayMs = 250 + Math.random() * 750;
        setTimeout(() => !this.closed && this.socket.connect(), delayMs);
      }
    });
    this.socket.on('connect_error', (error: Error & { data?: unknown }) => this.emit('connectError', { message: error.message, data: error.data }));
  }

  /** Connects (once) and resolves when the server has accepted the handshake. */
  connect(): Promise<ServerEventPayload<'connection_established'>> {
    if (!this.socket.connected && !this.socket.active) this.socket.connect();
    return this.established;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Emits with an ack and resolves with its result; rejects with the server's envelope when refused. */
  async request<E extends SocketClientEvent>(event: E, payload: ClientEventPayload<E>): Promise<ClientEventResult<E>> {
    const emit = this.socket.timeout(this.ackTimeoutMs).emitWithAck as unknown as (event: E, payload: ClientEventPayload<E>) => Promise<Ack<ClientEventResult<E>>>;
    let ack: Ack<ClientEventResult<E>>;
    try {
      ack = await emit.call(this.socket.timeout(this.ackTimeoutMs), event, payload);
    } catch {
      throw new SwitchboardSocketError({ error: 'AckTimeoutError', code: 'ACK_TIMEOUT', message: `No ack for ${event} within ${this.ackTimeoutMs} ms`, details: { event } });
    }
    if (!ack.ok) throw new SwitchboardSocketError(ack);
    return ack;
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
    this.removeAllListeners();
  }

  private nextEstablished(): Promise<ServerEventPayload<'connection_established'>> {
    const established = new Promise<ServerEventPayload<'connection_established'>>((resolve, reject) => {
      this.socket.once('connection_established', resolve);
      const refused = (error: Error & { data?: unknown }) => {
        // A refused handshake (bad token) will not get better by retrying; an unreachable server may.
        if (!this.socket.active) reject(new SwitchboardSocketError(isEnvelope(error.data) ? error.data : { error: 'ConnectError', code: 'CONNECT_ERROR', message: error.message, details: {} }));
      };
      this.socket.on('connect_error', refused);
      this.socket.once('connection_established', () => this.socket.off('connect_error', refused));
    });
    // Nobody may be waiting for this connection yet; a refusal is also reported as connectError.
    established.catch(() => undefined);
    return established;
  }
}

function isEnvelope(value: unknown): value is { error: string; code: string; message: string; details: Record<string, unknown> } {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
