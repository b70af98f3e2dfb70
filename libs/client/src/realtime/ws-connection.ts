import { Emitter } from '../emitter.js';
import { SwitchboardNetworkError } from '../errors.js';
import { newMessageId, sleep } from '../ids.js';
import { DEFAULT_RETRY, retryDelayMs, RetryOptions } from '../retry-policy.js';
import type { WsClientData, WsClientFrame, WsClientFrameType, WsErrorCode, WsPriority, WsServerData, WsServerFrame, WsServerFrameType } from './ws-frames.js';

/** The part of the WebSocket API this client uses: the browser's, Node 22's global, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

export interface WsConnectionOptions {
  baseUrl: string;
  /** Sent as `?token=`: a browser WebSocket cannot send headers. */
  token?: string;
  /** Defaults to the global WebSocket (browsers, Node 22); on Node 20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Backoff between reconnects; `retries` is ignored (it reconnects until closed). */
  reconnect?: Partial<RetryOptions>;
  /** How many frames are kept while offline; older ones are dropped past it. */
  queueLimit?: number;
  /** How long `request` waits for its answer. */
  requestTimeoutMs?: number;
  random?: () => number;
}

/** Frame types whose request is safe to send again when its answer was lost with the connection. */
const RESENDABLE: ReadonlySet<WsClientFrameType> = new Set(['chat', 'subscribe', 'unsubscribe', 'join_conversation', 'status', 'ping', 'typing_start', 'typing_stop']);

export type WsConnectionEvents = { [T in WsServerFrameType]: WsServerFrame<T> } & {
  /** Every frame from the server. */
  frame: WsServerFrame;
  open: { reconnect: boolean };
  close: { code: number; reason: string; willReconnect: boolean };
  reconnecting: { attempt: number; delayMs: number };
};

/** An `error` frame answering a request. */
export class WsRequestError extends Error {
  override readonly name = 'WsRequestError';

  constructor(
    readonly code: WsErrorCode,
    message: string,
    /** The seed's sentence. */
    readonly details: string,
    /** What the service knows beyond it: its error class and code, the fields involved. */
    readonly context: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface Pending {
  frame: WsClientFrame;
  resolve: (frame: WsServerFrame) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface SendOptions {
  id?: string;
  targetAgent?: string;
  priority?: WsPriority;
  conversationId?: string;
}

/**
 * Seed 003's `/ws` protocol, typed. Reconnects with backoff and jitter until closed; frames sent while
 * offline wait in a queue and go out, in order, once connected again. Conversations it joined and
 * subscriptions it made are restored after a reconnect; requests whose answer was lost are sent
 * again when that is safe (a chat carries a messageId, so it is stored once).
 */
export class WsConnection extends Emitter<WsConnectionEvents> {
  private socket: WebSocketLike | undefined;
  private readonly queue: Array<{ id: string; text: string }> = [];
  private ready = false;
  private readonly pending = new Map<string, Pending>();
  private readonly restore = new Map<string, WsClientFrame>();
  private readonly reconnect: RetryOptions;
  private attempts = 0;
  private opened = 0;
  private closedByUser = false;
  private connected: Promise<WsServerData<'connected'>> | undefined;
  private resolveConnected: ((data: WsServerData<'connected'>) => void) | undefined;

  constructor(private readonly options: WsConnectionOptions) {
    super();
    this.reconnect = { ...DEFAULT_RETRY, ...options.reconnect };
  }

  /** Opens the connection (once) and resolves when the server has said `connected`. */
  connect(): Promise<WsServerData<'connected'>> {
    this.closedByUser = false;
    if (!this.connected) {
      this.connected = new Promise((resolve) => (this.resolveConnected = resolve));
      this.open();
    }
    return this.connected;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === OPEN;
  }

  /** Frames waiting for the connection. */
  get queued(): number {
    return this.queue.length;
  }

  /** Sends a frame now, or when connected again; returns its id. */
  send<T extends WsClientFrameType>(type: T, data: WsClientData<T>, options: SendOptions = {}): string {
    return String(this.dispatch(type, data, options).id);
  }

  private dispatch<T extends WsClientFrameType>(type: T, data: WsClientData<T>, options: SendOptions): WsClientFrame {
    const id = options.id ?? newMessageId();
    const frame = { id, type, data, targetAgent: options.targetAgent, priority: options.priority, conversationId: options.conversationId, timestamp: new Date().toISOString() } as WsClientFrame;
    if (type === 'join_conversation' || type === 'subscribe') this.restore.set(`${type}:${JSON.stringify(data)}`, frame);
    this.write(id, JSON.stringify(frame));
    return frame;
  }

  /** Sends a frame and resolves with the frame answering it (same id); an `error` frame rejects. */
  request<T extends WsClientFrameType>(type: T, data: WsClientData<T>, options: SendOptions = {}): Promise<WsServerFrame> {
    const id = options.id ?? newMessageId();
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SwitchboardNetworkError(`No answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const pending: Pending = { frame: undefined as unknown as WsClientFrame, resolve, reject, timer };
      this.pending.set(id, pending);
      pending.frame = this.dispatch(type, data, { ...options, id });
    });
  }

  /** A chat, answered by the agent's chat_response. */
  async chat(message: string, options: SendOptions & { messageId?: string } = {}): Promise<WsServerData<'chat_response'>> {
    const frame = await this.request('chat', { message, messageId: options.messageId ?? newMessageId(), ...(options.conversationId ? { conversationId: options.conversationId } : {}) }, { ...options, conversationId: undefined });
    return frame.data as WsServerData<'chat_response'>;
  }

  /** Follows a conversation's messages and typing (again after every reconnect). */
  async joinConversation(conversationId: string, agents?: string[]): Promise<WsServerData<'conversation_joined'>> {
    const frame = await this.request('join_conversation', { conversationId, ...(agents ? { agents } : {}) });
    return frame.data as WsServerData<'conversation_joined'>;
  }

  typing(conversationId: string, isTyping: boolean): void {
    this.send(isTyping ? 'typing_start' : 'typing_stop', { conversationId });
  }

  /** Closes for good: no reconnect; requests still waiting are rejected. */
  close(): void {
    this.closedByUser = true;
    this.socket?.close(1000, 'client closed');
    this.socket = undefined;
    this.connected = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new SwitchboardNetworkError('The connection was closed'));
      this.pending.delete(id);
    }
  }

  private write(id: string, text: string): void {
    if (this.ready && this.isOpen) {
      this.socket!.send(text);
      return;
    }
    this.queue.push({ id, text });
    const limit = this.options.queueLimit ?? 1_000;
    if (this.queue.length > limit) this.queue.splice(0, this.queue.length - limit);
  }

  private url(): string {
    const url = new URL('/ws', this.options.baseUrl.replace(/^http/, 'ws'));
    if (this.options.token) url.searchParams.set('token', this.options.token);
    return url.toString();
  }

  private open(): void {
    const Impl = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Impl) throw new Error('No WebSocket implementation: pass options.WebSocket (e.g. from the ws package on Node 20)');
    const socket = new Impl(this.url());
    this.socket = socket;
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      const willReconnect = !this.closedByUser;
      this.ready = false;
      this.emit('close', { code: event.code, reason: event.reason, willReconnect });
      if (willReconnect) void this.scheduleReconnect();
    };
    socket.onerror = () => undefined;
  }

  private receive(text: string): void {
    let frame: WsServerFrame;
    try {
      frame = JSON.parse(text) as WsServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'connected') this.onConnected(frame.data as WsServerData<'connected'>);
    // Seed 003's JSON heartbeat: a client that does not answer is dropped.
    if (frame.type === 'ping' && frame.id === undefined) this.socket?.send(JSON.stringify({ type: 'pong', data: {}, timestamp: new Date().toISOString() }));
    const id = frame.id === undefined ? undefined : String(frame.id);
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (pending) {
      this.pending.delete(id!);
      clearTimeout(pending.timer);
      if (frame.type === 'error') {
        const data = frame.data as WsServerData<'error'>;
        pending.reject(new WsRequestError(data.code, data.message, data.details, data.context));
      } else {
        pending.resolve(frame);
      }
    }
    this.emit('frame', frame);
    (this.emit as (type: string, payload: WsServerFrame) => void)(frame.type, frame);
  }

  private onConnected(data: WsServerData<'connected'>): void {
    const reconnect = this.opened++ > 0;
    this.attempts = 0;
    if (reconnect) {
      const queued = new Set(this.queue.map((entry) => entry.id));
      const resend = new Map<string, WsClientFrame>();
      for (const frame of this.restore.values()) resend.set(String(frame.id), frame);
      for (const [id, pending] of this.pending) if (RESENDABLE.has(pending.frame.type)) resend.set(id, pending.frame);
      for (const [id, frame] of resend) if (!queued.has(id)) this.socket!.send(JSON.stringify(frame));
      for (const [id, pending] of this.pending) {
        if (RESENDABLE.has(pending.frame.type)) continue;
        clearTimeout(pending.timer);
        this.pending.delete(id);
        pending.reject(new SwitchboardNetworkError(`The connection dropped before ${pending.frame.type} was answered; it is not resent, it may have run`));
      }
    }
    for (const { text } of this.queue.splice(0)) this.socket!.send(text);
    this.ready = true;
    this.resolveConnected?.(data);
    this.emit('open', { reconnect });
  }

  private async scheduleReconnect(): Promise<void> {
    const delayMs = retryDelayMs(this.attempts, this.reconnect, (this.options.random ?? Math.random)());
    this.attempts++;
    this.emit('reconnecting', { attempt: this.attempts, delayMs });
    await sleep(delayMs);
    if (!this.closedByUser) this.open();
  }
}
