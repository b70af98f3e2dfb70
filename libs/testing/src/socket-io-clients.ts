import { io, Socket } from 'socket.io-client';
import { until, within } from './deadline';

/** How long a suite waits for any one socket event; the echo provider answers at once. */
export const EVENT_TIMEOUT_MS = 5_000;

export interface ErrorEnvelope {
  error: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** What the server answers to an emit with an ack callback: `{ok: true, …}` or the error envelope. */
export type Ack = { ok: boolean } & Partial<ErrorEnvelope> & Record<string, unknown>;

export interface RoomFields {
  roomId: string;
  channelId: string;
  sessionId?: string;
}

export interface MessageBroadcast extends RoomFields {
  serverId: string;
  id: string;
  messageId: string;
  clientMessageId: string | null;
  senderId: string;
  senderName: string;
  text: string;
  isAgent: boolean;
  createdAt: string;
  /** ISO 8601, as seed 000 reads it (the same instant as createdAt). */
  timestamp: string;
  source: string;
  thought: string | null;
  actions: string[];
  attachments: unknown[];
  metadata: Record<string, unknown>;
  replayed?: boolean;
}

export interface MessageComplete extends RoomFields {
  serverId: string;
  agentId: string;
  inReplyTo: string;
  messageId: string | null;
  success: boolean;
}

export interface ControlMessage extends RoomFields {
  action: 'disable_input' | 'enable_input';
  agentId: string;
}

export interface Presence extends RoomFields {
  entityId: string;
  /** Seed 002's name for entityId. */
  userId: string;
  socketId?: string;
  isTyping?: boolean;
}

/** Everything the server emits, by event name. */
export interface ServerEvents {
  connection_established: { socketId: string; entityId: string; tokenKind: string; recovered: boolean; serverId: string; serverTime: string };
  messageBroadcast: MessageBroadcast;
  messageComplete: MessageComplete;
  controlMessage: ControlMessage;
  /** The typed envelope; the server sends THINKING (5) this way. */
  message: { type: number; payload: RoomFields & Record<string, unknown> };
  userJoined: Presence;
  userLeft: Presence;
  userTyping: Presence;
  /** Seed 001's `{ agents, users, channels, messages }`, plus what Switchboard sent before. */
  'world-state': {
    agents: Record<string, { id: string; name: string; status: string }>;
    users: Record<string, { id: string; userId: string; rooms: string[] }>;
    channels: Record<string, RoomFields & { id: string; name: string | null; type: string; participants: Array<{ entityId: string; kind: string }>; createdAt: string }>;
    messages: Record<string, MessageBroadcast[]>;
    socketId: string;
    entityId: string;
    rooms: Array<RoomFields & { participants: Array<{ entityId: string; kind: string }> }>;
    serverId: string;
    serverTime: string;
  };
  /** Seed 001's `{ level, time, msg, agentId, agentName }` (pino levels), plus what Switchboard sent before. */
  logEntry: { level: number; time: number; msg: string; agentId: string | null; agentName: string | null; levelName: string; message: string; context?: string; timestamp: string };
  error: { ok?: false } & ErrorEnvelope;
  sessionRenewed: { sessionId: string; expiresAt: string; renewalCount: number };
  sessionExpirationWarning: { sessionId: string; minutesRemaining: number; expiresAt: string };
  sessionExpired: { sessionId: string; expiredAt: string };
}

export type ServerEvent = keyof ServerEvents;

export interface Received<E extends ServerEvent = ServerEvent> {
  event: E;
  payload: ServerEvents[E];
}

/**
 * Records every event a socket receives, in arrival order, from the moment it is created — so a test
 * can wait for one and then assert on everything that came before or with it.
 */
export class EventLog {
  readonly received: Received[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload } as Received);
      this.listeners.forEach((wake) => wake());
    });
  }

  of<E extends ServerEvent>(event: E, where: (payload: ServerEvents[E]) => boolean = () => true): Array<ServerEvents[E]> {
    return this.received.filter((r): r is Received<E> => r.event === event).map((r) => r.payload).filter(where);
  }

  /** The event names received, optionally only those whose payload concerns `roomId`. */
  names(roomId?: string): string[] {
    return this.received.filter((r) => roomId === undefined || concerns(r.payload, roomId)).map((r) => r.event);
  }

  /** Resolves with the matching payloads once `count` of them have arrived. */
  async waitFor<E extends ServerEvent>(
    event: E,
    where: (payload: ServerEvents[E]) => boolean = () => true,
    { count = 1, timeoutMs = EVENT_TIMEOUT_MS }: { count?: number; timeoutMs?: number } = {},
  ): Promise<Array<ServerEvents[E]>> {
    await until(
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      () => this.of(event, where).length >= count,
      timeoutMs,
      `${count} × ${event} on socket ${this.socket.id ?? '(unconnected)'}`,
    );
    return this.of(event, where);
  }

  async next<E extends ServerEvent>(event: E, where?: (payload: ServerEvents[E]) => boolean, timeoutMs?: number): Promise<ServerEvents[E]> {
    const [first] = await this.waitFor(event, where, { timeoutMs });
    return first;
  }
}

function concerns(payload: unknown, roomId: string): boolean {
  if (payload === null || typeof payload !== 'object') return false;
  const fields = payload as Partial<RoomFields> & { payload?: Partial<RoomFields>; details?: Partial<RoomFields> };
  const room = fields.payload ?? fields.details ?? fields;
  return room.roomId === roomId || room.channelId === roomId || room.sessionId === roomId;
}

export interface ConnectOptions {
  token?: string;
  /** Sent as handshake headers instead of (or as well as) `auth.token`. */
  headers?: Record<string, string>;
  /** Sent in the handshake's query string. */
  query?: Record<string, string>;
  transports?: Array<'websocket' | 'polling'>;
  reconnection?: boolean;
}

export interface ClientSocket {
  socket: Socket;
  log: EventLog;
  /** What `connection_established` said. */
  established: ServerEvents['connection_established'];
}

/** The sockets one suite opens; `closeAll()` in `afterEach` so none outlives its test (or the app). */
export class SocketPool {
  private readonly sockets = new Set<Socket>();

  constructor(private readonly url: () => string | Promise<string>) {}

  /** Sockets to the app `t()` returns when each is opened (so a pool can be made before `beforeAll` starts the app). */
  static for(t: () => { baseUrl: string }): SocketPool {
    return new SocketPool(() => t().baseUrl);
  }

  /** A socket that has not started connecting yet, with its event log attached. */
  async open({ token, headers, query, transports = ['websocket'], reconnection = false }: ConnectOptions): Promise<{ socket: Socket; log: EventLog }> {
    const socket = io(await this.url(), {
      auth: token === undefined ? {} : { token },
      extraHeaders: headers,
      query,
      transports,
      forceNew: true,
      reconnection,
      reconnectionDelay: 20,
      reconnectionDelayMax: 50,
      autoConnect: false,
      timeout: EVENT_TIMEOUT_MS,
    });
    this.sockets.add(socket);
    return { socket, log: new EventLog(socket) };
  }

  /** A connected socket that has received `connection_established`. */
  async connect(options: ConnectOptions): Promise<ClientSocket> {
    const { socket, log } = await this.open(options);
    const refused = new Promise<never>((_, reject) => socket.once('connect_error', (error) => reject(error)));
    socket.connect();
    const established = await within(Promise.race([log.next('connection_established'), refused]), EVENT_TIMEOUT_MS, 'connection_established');
    return { socket, log, established };
  }

  /** The `connect_error` a refused handshake produces. */
  async refusal(options: ConnectOptions): Promise<Error & { data?: ErrorEnvelope }> {
    const { socket } = await this.open(options);
    const refused = new Promise<Error & { data?: ErrorEnvelope }>((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () => reject(new Error('The handshake was accepted')));
    });
    socket.connect();
    return within(refused, EVENT_TIMEOUT_MS, 'connect_error');
  }

  closeAll(): void {
    this.sockets.forEach((socket) => socket.disconnect());
    this.sockets.clear();
  }
}

/** Emits with an ack callback and resolves with the ack; rejects when none comes within the deadline. */
export function emitAck(socket: Socket, event: string, ...args: unknown[]): Promise<Ack> {
  return socket.timeout(EVENT_TIMEOUT_MS).emitWithAck(event, ...args) as Promise<Ack>;
}

/** An ack the test expects to be ok; fails with the envelope otherwise. */
export async function expectOk(socket: Socket, event: string, ...args: unknown[]): Promise<Record<string, unknown>> {
  const ack = await emitAck(socket, event, ...args);
  if (!ack.ok) throw new Error(`${event} was refused: ${JSON.stringify(ack)}`);
  return ack;
}

/**
 * A round trip on the same connection: once its ack is back, every event the server sent this socket
 * before answering it has arrived too. Lets a test say "and nothing else came" without sleeping.
 */
export async function settle(socket: Socket): Promise<void> {
  await emitAck(socket, 'request-world-state');
}
