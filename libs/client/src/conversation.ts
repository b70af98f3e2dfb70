import { Emitter } from './emitter.js';
import { SwitchboardApiError } from './errors.js';
import { SocketConnection, SocketConnectionOptions } from './realtime/socket-connection.js';
import type {
  ControlMessage,
  ErrorEnvelope,
  JoinResult,
  MessageBroadcast,
  MessageComplete,
  Presence,
  SessionExpirationWarning,
  SessionExpired,
  SessionRenewed,
  UserTyping,
} from './realtime/socket-events.js';
import type { ResponseOf } from './rest/operations.js';
import { ReplyChunk, RestClient, SentMessage, StreamedSend } from './rest/rest-client.js';

export type SessionState = ResponseOf<'getSession'>;

/** Which session a conversation is about; `token` is the session's own (browsers hold nothing else). */
export interface SessionRef {
  sessionId: string;
  channelId?: string;
  token?: string;
}

export interface ConversationOptions {
  /**
   * Opt-in: when the session is gone (404 or 410), get a replacement and carry on in it — the send that
   * found it gone is sent again there. Browsers usually ask their own backend; a service may call
   * `rest.createSession`. Without it, a lost session is reported as `lost` and the call throws.
   */
  recreate?: (lost: { sessionId: string; error: SwitchboardApiError }) => Promise<SessionRef>;
  /** With the heartbeat loop: renew when the server says the session is near its expiry. */
  renewWhenNearExpiration?: boolean;
  /** How many message ids are remembered to drop duplicates (replays after a reconnect). */
  dedupeWindow?: number;
}

interface ConversationWiring extends ConversationOptions {
  socket?: Pick<SocketConnectionOptions, 'io' | 'ackTimeoutMs'>;
  /** The connection is this conversation's alone: close it with the conversation. */
  ownsConnection?: boolean;
}

export interface ConversationEvents {
  /** Each stored message of the room once, in arrival order: user messages and agent replies. */
  message: MessageBroadcast;
  /** An agent's reply (a `message` with isAgent). */
  reply: MessageBroadcast;
  /** An agent started preparing its reply. */
  thinking: { agentId: string; inReplyTo: string };
  /** A piece of a reply being produced (sends made with `stream()`). */
  chunk: ReplyChunk;
  /** An agent's turn ended, with its reply or after `agentError`. */
  messageComplete: MessageComplete;
  control: Extract<ControlMessage, { roomId: string }>;
  agentError: ErrorEnvelope;
  typing: UserTyping;
  joined: Presence;
  left: Presence;
  /** The server's expiry warning (the sweep sends it once per warning window). */
  warning: SessionExpirationWarning;
  expired: SessionExpired;
  renewed: SessionRenewed;
  /** What each heartbeat (or renew) said about the session's time. */
  status: { sessionId: string; expiresAt: string; timeRemaining: number; isNearExpiration: boolean };
  /** The heartbeat loop saw the session enter its warning window (once, again after it left it). */
  nearExpiration: { sessionId: string; timeRemaining: number };
  /** The session answered 404/410 and there was no `recreate`, or it failed. */
  lost: { sessionId: string; error: SwitchboardApiError };
  /** `recreate` gave a new session; the conversation carries on there. */
  recreated: { previousSessionId: string; sessionId: string };
  /** The room was joined again after a reconnect; `replayed` messages were missed meanwhile. */
  rejoined: JoinResult;
  /** A background step (heartbeat loop, rejoin) failed. */
  failure: { during: 'heartbeat' | 'rejoin' | 'renew'; error: unknown };
}

/**
 * One session's conversation: join its room, send (each send carries a messageId and is retried
 * safely), the reply as it streams, typing, presence, expiry warnings and renewal. Duplicate messages
 * (replays after a reconnect) are dropped by id; after a reconnect the room is rejoined from the last
 * message seen, so nothing missed is lost.
 */
export class Conversation extends Emitter<ConversationEvents> {
  private ref: SessionRef & { channelId?: string };
  private joinedRoom = false;
  private lastMessage: { id: string; at: number } | undefined;
  private readonly seen = new Set<string>();
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private beat: Promise<unknown> = Promise.resolve();
  private warned = false;
  private readonly detach: Array<() => void> = [];
  private readonly ownedConnections: SocketConnection[] = [];

  constructor(
    private rest: RestClient,
    private connection: SocketConnection,
    session: SessionRef,
    private readonly options: ConversationWiring = {},
  ) {
    super();
    this.ref = { ...session };
    if (options.ownsConnection) this.ownedConnections.push(connection);
    this.listen();
  }

  get sessionId(): string {
    return this.ref.sessionId;
  }

  get channelId(): string | undefined {
    return this.ref.channelId;
  }

  /** Joins the room (connecting first if need be); with `lastMessageId`, what was missed arrives as messages. */
  async join(lastMessageId?: string): Promise<JoinResult> {
    await this.connection.connect();
    const joined = await this.connection.request('join', { roomId: this.ref.sessionId, ...(lastMessageId ?? this.lastMessage?.id ? { lastMessageId: lastMessageId ?? this.lastMessage?.id } : {}) });
    this.ref.channelId = joined.channelId;
    this.joinedRoom = true;
    return joined;
  }

  async leave(): Promise<void> {
    if (!this.joinedRoom) return;
    this.joinedRoom = false;
    await this.connection.request('leave', { roomId: this.ref.sessionId });
  }

  /** Sends a message; the reply arrives as `message`/`reply` events. Retried safely; stored once. */
  send(text: string, options: { messageId?: string; metadata?: Record<string, unknown> } = {}): Promise<SentMessage> {
    return this.whileAlive(() => this.rest.sendMessage(this.ref.sessionId, { content: text, messageId: options.messageId, metadata: options.metadata }));
  }

  /** Sends and reads the reply as it is produced: `chunk` events, then the stored reply. */
  stream(text: string, options: { messageId?: string; metadata?: Record<string, unknown> } = {}): Promise<StreamedSend> {
    return this.whileAlive(() => this.rest.streamMessage(this.ref.sessionId, { content: text, messageId: options.messageId, metadata: options.metadata }, (chunk) => this.emit('chunk', chunk)));
  }

  /** Tells the room this user is typing (or stopped). */
  async typing(isTyping = true): Promise<void> {
    await this.connection.request('typing', { roomId: this.ref.sessionId, isTyping });
  }

  /** Message history, newest first, with epoch-ms cursors (`before`/`after`). */
  history(query: { limit?: number; before?: number; after?: number } = {}): Promise<ResponseOf<'listMessages'>> {
    return this.whileAlive(() => this.rest.listMessages(this.ref.sessionId, query));
  }

  session(): Promise<SessionState> {
    return this.whileAlive(() => this.rest.getSession(this.ref.sessionId));
  }

  async renew(): Promise<SessionState> {
    const session = await this.whileAlive(() => this.rest.renewSession(this.ref.sessionId));
    this.warned = false;
    this.report(session);
    return session;
  }

  /** One heartbeat: keeps the session alive (auto-renew) and reports its time as `status`. */
  async heartbeat(): Promise<SessionState> {
    const session = await this.whileAlive(() => this.rest.heartbeat(this.ref.sessionId));
    this.report(session);
    if (session.isNearExpiration && !this.warned) {
      this.warned = true;
      this.emit('nearExpiration', { sessionId: session.sessionId, timeRemaining: session.timeRemaining });
      if (this.options.renewWhenNearExpiration) {
        await this.renew().catch((error: unknown) => this.emit('failure', { during: 'renew', error }));
      }
    } else if (!session.isNearExpiration) {
      this.warned = false;
    }
    return session;
  }

  /** Heartbeats every `intervalMs` until stopped, or until the session is lost. */
  startHeartbeat(intervalMs = 5 * 60_000): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      this.beat = this.heartbeat().catch((error: unknown) => {
        if (error instanceof SwitchboardApiError && error.isSessionLost) void this.stopHeartbeat();
        this.emit('failure', { during: 'heartbeat', error });
      });
    }, intervalMs);
  }

  /** Stops the loop; resolves once a beat still in flight has ended. */
  async stopHeartbeat(): Promise<void> {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    await this.beat;
  }

  /** Stops the heartbeat, leaves nothing listening; connections this conversation opened are closed. */
  close(): void {
    void this.stopHeartbeat();
    this.detach.splice(0).forEach((off) => off());
    this.ownedConnections.splice(0).forEach((connection) => connection.close());
    this.removeAllListeners();
  }

  private report(session: SessionState): void {
    this.emit('status', { sessionId: session.sessionId, expiresAt: session.expiresAt, timeRemaining: session.timeRemaining, isNearExpiration: session.isNearExpiration });
  }

  /** Runs a call; on 404/410 with `recreate`, moves to the new session and runs it once more there. */
  private async whileAlive<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof SwitchboardApiError && error.isSessionLost)) throw error;
      const lost = { sessionId: this.ref.sessionId, error };
      if (!this.options.recreate) {
        this.emit('lost', lost);
        throw error;
      }
      await this.moveTo(await this.options.recreate(lost));
      return call();
    }
  }

  private async moveTo(next: SessionRef): Promise<void> {
    const previousSessionId = this.ref.sessionId;
    const wasJoined = this.joinedRoom;
    if (next.token && next.token !== this.rest.options.token) {
      this.rest = this.rest.withToken(next.token);
      this.detach.splice(0).forEach((off) => off());
      this.connection = new SocketConnection({ baseUrl: this.rest.options.baseUrl, token: next.token, ...this.options.socket });
      this.ownedConnections.push(this.connection);
      this.listen();
    }
    this.ref = { ...next };
    this.joinedRoom = false;
    this.lastMessage = undefined;
    this.warned = false;
    if (wasJoined) await this.join();
    this.emit('recreated', { previousSessionId, sessionId: next.sessionId });
  }

  private concerns(payload: { roomId?: string; channelId?: string; sessionId?: string }): boolean {
    const { sessionId, channelId } = this.ref;
    return payload.sessionId === sessionId || payload.roomId === sessionId || (channelId !== undefined && payload.channelId === channelId);
  }

  private listen(): void {
    const socket = this.connection.socket;
    const on = <A>(event: Parameters<typeof socket.on>[0], handler: (payload: A) => void) => {
      const listener = handler as never;
      socket.on(event, listener);
      this.detach.push(() => socket.off(event, listener));
    };
    on<MessageBroadcast>('messageBroadcast', (message) => {
      if (!this.concerns(message) || this.isDuplicate(message)) return;
      this.emit('message', message);
      if (message.isAgent) this.emit('reply', message);
    });
    on<{ type: number; payload: { agentId: string; inReplyTo: string; roomId: string; channelId: string; sessionId?: string } }>('message', (frame) => {
      if (this.concerns(frame.payload)) this.emit('thinking', { agentId: frame.payload.agentId, inReplyTo: frame.payload.inReplyTo });
    });
    on<MessageComplete>('messageComplete', (complete) => this.concerns(complete) && this.emit('messageComplete', complete));
    on<ControlMessage>('controlMessage', (control) => 'roomId' in control && this.concerns(control) && this.emit('control', control));
    on<UserTyping>('userTyping', (typing) => this.concerns(typing) && this.emit('typing', typing));
    on<Presence>('userJoined', (presence) => this.concerns(presence) && this.emit('joined', presence));
    on<Presence>('userLeft', (presence) => this.concerns(presence) && this.emit('left', presence));
    on<ErrorEnvelope>('error', (error) => this.concerns(error.details as { roomId?: string }) && this.emit('agentError', error));
    on<SessionExpirationWarning>('sessionExpirationWarning', (warning) => warning.sessionId === this.ref.sessionId && this.emit('warning', warning));
    on<SessionExpired>('sessionExpired', (expired) => {
      if (expired.sessionId !== this.ref.sessionId) return;
      void this.stopHeartbeat();
      this.emit('expired', expired);
    });
    on<SessionRenewed>('sessionRenewed', (renewed) => {
      if (renewed.sessionId !== this.ref.sessionId) return;
      this.warned = false;
      this.emit('renewed', renewed);
    });
    const offConnected = this.connection.on('connected', ({ reconnect }) => {
      if (!reconnect || !this.joinedRoom) return;
      this.join().then(
        (joined) => this.emit('rejoined', joined),
        (error: unknown) => this.emit('failure', { during: 'rejoin', error }),
      );
    });
    this.detach.push(offConnected);
  }

  /** True when this message id was seen already; remembers the newest message for a rejoin. */
  private isDuplicate(message: MessageBroadcast): boolean {
    if (this.seen.has(message.id)) return true;
    this.seen.add(message.id);
    const window = this.options.dedupeWindow ?? 1_000;
    if (this.seen.size > window) this.seen.delete(this.seen.values().next().value as string);
    const at = Date.parse(message.createdAt);
    if (!this.lastMessage || at > this.lastMessage.at || (at === this.lastMessage.at && message.id > this.lastMessage.id)) {
      this.lastMessage = { id: message.id, at };
    }
    return false;
  }
}
