import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { Clock, EventBus, ForbiddenError, MissingFieldsError, toIso, toSwitchboardError, ValidationError } from '@switchboard/common';
import { AgentsService } from '@switchboard/agents';
import { tokenFromHeaders } from '@switchboard/auth';
import { MessageEntity, MessagingService } from '@switchboard/messaging';
import {
  Ack,
  ClientEventResult,
  ClientToServerEvents,
  JoinResult,
  MessageBroadcast,
  RoomFields,
  SendResult,
  ServerToClientEvents,
  SignalResult,
  SOCKET_CLIENT_EVENTS,
  SocketClientEvent,
  WorldState,
} from '@switchboard/client';
import { ClientSignalDto } from './dto/client-signal.dto';
import { JoinRoomDto } from './dto/join-room.dto';
import { SocketSendDto } from './dto/socket-send.dto';
import { TypingDto } from './dto/typing.dto';
import { RealtimeAuthService } from './realtime-auth.service';
import { RoomAccessService } from './room-access.service';
import { SocketIdentity, tokenFromHandshake } from './socket-identity';
import { ServerIdentityService } from './server-identity.service';
import { broadcastView, keyRoom, LOG_ROOM, roomFields, SocketIoFanout } from './socket-io.fanout';
import { SOCKET_MESSAGE_TYPE } from './socket-message-type';
import { validatePayload } from './validate-payload';

/** How many missed messages a rejoining client is sent at most. */
const MAX_REPLAY = 500;
/** How many of a room's latest messages `world-state` carries. */
const WORLD_STATE_MESSAGES = 50;

const KNOWN_EVENTS = new Set(Object.keys(SOCKET_CLIENT_EVENTS));

interface RoomMembership {
  channelId: string;
  sessionId: string | null;
  directAgentId?: string;
}

interface SocketData {
  identity: SocketIdentity;
  rooms: Map<string, RoomMembership>;
}

export type SwitchboardServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type SwitchboardSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Socket.IO at `/socket.io/`, speaking both client styles of the seeds: the typed envelope
 * `message {type, payload}` and the named events `join`, `leave`, `message`, `request-world-state`,
 * `typing`. Every emit with an ack callback is answered `{ok: true, …}` or with the error envelope.
 */
@WebSocketGateway()
export class SocketIoGateway implements OnGatewayInit<SwitchboardServer>, OnGatewayConnection<SwitchboardSocket>, OnModuleDestroy {
  private readonly logger = new Logger(SocketIoGateway.name);
  private detach: (() => void) | undefined;
  private server: SwitchboardServer | undefined;

  constructor(
    private readonly realtimeAuth: RealtimeAuthService,
    private readonly rooms: RoomAccessService,
    private readonly messaging: MessagingService,
    private readonly fanout: SocketIoFanout,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly identityOfServer: ServerIdentityService,
    private readonly agents: AgentsService,
  ) {}

  afterInit(server: SwitchboardServer): void {
    this.server = server;
    server.use((socket, next) => {
      const token = tokenFromHandshake(socket.handshake) ?? tokenFromHeaders(socket.handshake.headers);
      this.realtimeAuth.identify(token, socket.handshake.address).then(
        (identity) => {
          // A recovered socket comes back with its rooms; keep what it joined.
          const rooms = socket.recovered && socket.data?.rooms instanceof Map ? socket.data.rooms : new Map();
          socket.data = { identity, rooms } satisfies SocketData;
          next();
        },
        (error: unknown) => {
          const refusal = toSwitchboardError(error);
          next(Object.assign(new Error(refusal.message), { data: refusal.toEnvelope() }));
        },
      );
    });
    this.detach = this.fanout.attach(server);
  }

  onModuleDestroy(): void {
    this.detach?.();
  }

  /**
   * The drain: this instance's sockets (only these, not the other instances' behind the Redis
   * adapter) are told why and disconnected; clients see `io server disconnect` and reconnect, to
   * another instance, rejoining with `lastMessageId` to get what they missed.
   */
  disconnectForShutdown(): void {
    if (!this.server) return;
    this.server.local.emit('controlMessage', { action: 'reconnect', reason: 'server-shutdown' });
    this.server.local.disconnectSockets(true);
  }

  handleConnection(socket: SwitchboardSocket): void {
    const { identity } = socket.data;
    if (identity.isAdmin) void socket.join(LOG_ROOM);
    const ownerKeyId = identity.principal.kind === 'api-key' ? identity.principal.keyId : identity.principal.issuedBy;
    if (ownerKeyId) void socket.join(keyRoom(ownerKeyId));
    this.on(socket, 'join', (payload) => this.join(socket, payload));
    this.on(socket, 'leave', (payload) => this.leave(socket, payload));
    this.on(socket, 'message', (payload) => this.onMessage(socket, payload));
    this.on(socket, 'typing', (payload) => this.typing(socket, payload));
    this.on(socket, 'request-world-state', (payload) => this.worldState(socket, payload));
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (!KNOWN_EVENTS.has(event) && typeof ack === 'function') {
        ack({ ok: false, ...new ValidationError(`Unknown event "${event}"`, { event, known: [...KNOWN_EVENTS] }).toEnvelope() });
      }
    });
    socket.on('disconnecting', () => {
      for (const room of socket.data.rooms.values()) {
        socket.to(room.channelId).emit('userLeft', { ...fieldsOf(room), entityId: identity.entityId, userId: identity.entityId, socketId: socket.id });
      }
    });
    socket.emit('connection_established', {
      socketId: socket.id,
      entityId: identity.entityId,
      tokenKind: identity.principal.kind,
      recovered: socket.recovered,
      serverId: this.identityOfServer.serverId,
      serverTime: new Date(this.clock.now()).toISOString(),
    });
  }

  /** Runs a handler and answers its ack; a failure answers the envelope, or emits `error` when there is no ack. */
  private on<E extends SocketClientEvent>(socket: SwitchboardSocket, event: E, handler: (payload: unknown) => Promise<ClientEventResult<E>>): void {
    // Payloads are untrusted whatever the types say: each handler validates its own.
    (socket as unknown as Socket).on(event as string, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (response: Ack<ClientEventResult<E>>) => void) : undefined;
      handler(args[0]).then(
        (result) => ack?.({ ok: true as const, ...result }),
        (failure: unknown) => {
          const error = toSwitchboardError(failure);
          if (error.status >= 500) this.logger.error(`Socket ${event} failed: ${(failure as Error).stack ?? String(failure)}`);
          const envelope = { ok: false as const, ...error.toEnvelope() };
          if (ack) ack(envelope);
          else socket.emit('error', envelope);
        },
      );
    });
  }

  private async onMessage(socket: SwitchboardSocket, frame: unknown): Promise<SendResult | JoinResult | SignalResult> {
    if (!isObject(frame)) throw new ValidationError('A message must be a JSON object');
    if (frame.type === undefined) return this.send(socket, frame);
    const payload = isObject(frame.payload) ? frame.payload : {};
    switch (frame.type) {
      case SOCKET_MESSAGE_TYPE.ROOM_JOINING:
        return this.join(socket, payload);
      case SOCKET_MESSAGE_TYPE.SEND_MESSAGE:
      case SOCKET_MESSAGE_TYPE.MESSAGE: {
        const sent = await this.send(socket, { ...payload, text: payload.message ?? payload.text });
        socket.emit('message', { type: SOCKET_MESSAGE_TYPE.ACK, payload: sent });
        return sent;
      }
      case SOCKET_MESSAGE_TYPE.ACK:
        return this.signal(socket, payload, SOCKET_MESSAGE_TYPE.ACK, 'read');
      case SOCKET_MESSAGE_TYPE.THINKING:
        return this.signal(socket, payload, SOCKET_MESSAGE_TYPE.THINKING, 'write');
      case SOCKET_MESSAGE_TYPE.CONTROL:
        return this.signal(socket, payload, SOCKET_MESSAGE_TYPE.CONTROL, 'write');
      default:
        throw new ValidationError(`Unknown message type ${String(frame.type)}; the types are 1 to 6 (SOCKET_MESSAGE_TYPE)`, { type: frame.type });
    }
  }

  /**
   * ACK (the client got a message), THINKING (an agent's client is working on a reply) and CONTROL
   * (enable or disable input) are passed on to the room's other sockets as the same typed envelope;
   * CONTROL also as seed 002's `controlMessage`.
   */
  private async signal(socket: SwitchboardSocket, payload: Record<string, unknown>, type: SOCKET_MESSAGE_TYPE, access: 'read' | 'write'): Promise<SignalResult> {
    const dto = await validatePayload(ClientSignalDto, payload);
    if (type === SOCKET_MESSAGE_TYPE.CONTROL && !dto.action) throw new MissingFieldsError('A CONTROL message names its action', { missingFields: ['action'] });
    const { identity } = socket.data;
    const room = await this.rooms.resolve(dto.roomId, identity.principal, access);
    const fields = fieldsOf(room);
    const relayed = {
      ...fields,
      entityId: identity.entityId,
      userId: identity.entityId,
      ...(dto.messageId ? { messageId: dto.messageId } : {}),
      ...(type === SOCKET_MESSAGE_TYPE.THINKING ? { thinking: dto.thinking ?? true } : {}),
      ...(dto.action ? { action: dto.action } : {}),
      ...(dto.data ? { data: dto.data } : {}),
    };
    socket.to(room.channelId).emit('message', { type, payload: relayed });
    if (type === SOCKET_MESSAGE_TYPE.CONTROL && dto.action) socket.to(room.channelId).emit('controlMessage', { ...relayed, action: dto.action });
    return { ...fields, type };
  }

  private async join(socket: SwitchboardSocket, payload: unknown): Promise<JoinResult> {
    const dto = await validatePayload(JoinRoomDto, payload);
    const roomId = dto.roomId ?? dto.sessionId ?? dto.channelId;
    if (!roomId) throw new MissingFieldsError('Name the room: roomId (a session or channel id)', { missingFields: ['roomId'] });
    const { identity } = socket.data;
    this.assertActingAs(identity, dto.entityId);
    const room = await this.rooms.resolve(roomId, identity.principal, 'read');
    await socket.join(room.channelId);
    socket.data.rooms.set(room.channelId, room);
    const fields = fieldsOf(room);
    socket.to(room.channelId).emit('userJoined', { ...fields, entityId: identity.entityId, userId: identity.entityId, socketId: socket.id });
    const missed = await this.messaging.messagesSince(room.channelId, { messageId: dto.lastMessageId, timestamp: dto.lastTimestamp }, MAX_REPLAY);
    for (const message of missed) socket.emit('messageBroadcast', { ...this.storedView(message, room, 'replay'), replayed: true });
    return { ...fields, replayed: missed.length };
  }

  private async leave(socket: SwitchboardSocket, payload: unknown): Promise<RoomFields> {
    const roomId = isObject(payload) ? (payload.roomId ?? payload.channelId ?? payload.sessionId) : undefined;
    const room = [...socket.data.rooms.values()].find((r) => r.channelId === roomId || r.sessionId === roomId || r.directAgentId === roomId);
    if (!room) throw new ValidationError('This socket is not in that room', { roomId });
    await socket.leave(room.channelId);
    socket.data.rooms.delete(room.channelId);
    const { entityId } = socket.data.identity;
    socket.to(room.channelId).emit('userLeft', { ...fieldsOf(room), entityId, userId: entityId, socketId: socket.id });
    return fieldsOf(room);
  }

  /** The named style `{text, roomId, userId, name}` and the typed SEND_MESSAGE payload, normalised. */
  private async send(socket: SwitchboardSocket, payload: Record<string, unknown>): Promise<SendResult> {
    const dto = await validatePayload(SocketSendDto, {
      ...payload,
      senderId: payload.senderId ?? payload.userId,
      senderName: payload.senderName ?? payload.name,
      userId: undefined,
      name: undefined,
      message: undefined,
    });
    const { identity } = socket.data;
    this.assertActingAs(identity, dto.senderId);
    const room = await this.rooms.resolve(dto.roomId, identity.principal, 'write');
    const posted = await this.rooms.post(room, identity.principal, dto.senderId ?? identity.entityId, {
      content: dto.text,
      messageId: dto.messageId,
      metadata: dto.metadata,
      attachments: dto.attachments,
      senderName: dto.senderName,
      source: dto.source ?? 'socketio',
    });
    return { ...fieldsOf(room), id: posted.message.id, messageId: posted.message.id, createdAt: toIso(posted.message.createdAt), timestamp: toIso(posted.message.createdAt), duplicate: !posted.created };
  }

  private async typing(socket: SwitchboardSocket, payload: unknown): Promise<RoomFields> {
    const dto = await validatePayload(TypingDto, payload);
    const room = await this.rooms.resolve(dto.roomId, socket.data.identity.principal, 'read');
    this.events.emit('channel.typing', { channelId: room.channelId, sessionId: room.sessionId, entityId: socket.data.identity.entityId, isTyping: dto.isTyping ?? true, origin: socket.id });
    return fieldsOf(room);
  }

  /**
   * Seed 001's `world-state` `{ agents, users, channels, messages }`, each keyed by id (`messages` by
   * channel id, oldest first) for the requested `roomId` (read access applies; joining is not
   * needed), or for every room this socket is in. `socketId`, `entityId`, `rooms` and `serverTime`
   * stay as Switchboard sent them before.
   */
  private async worldState(socket: SwitchboardSocket, payload: unknown): Promise<WorldState> {
    const roomId = isObject(payload) ? payload.roomId : undefined;
    if (roomId !== undefined && (typeof roomId !== 'string' || roomId === '')) throw new ValidationError('roomId must be a session, channel or agent id', { roomId });
    const { identity } = socket.data;
    const targets = roomId ? [await this.rooms.resolve(roomId, identity.principal, 'read')] : [...socket.data.rooms.values()];
    const state = { agents: {} as Record<string, unknown>, users: {} as Record<string, unknown>, channels: {} as Record<string, unknown>, messages: {} as Record<string, unknown> };
    const rooms: WorldState['rooms'] = [];
    for (const room of targets) {
      const [{ channel, participants }, latest] = await Promise.all([
        this.messaging.getChannel(room.channelId),
        this.messaging.listMessages(room.channelId, { limit: WORLD_STATE_MESSAGES }),
      ]);
      const members = participants.map((p) => ({ entityId: p.entityId, kind: p.kind }));
      rooms.push({ ...fieldsOf(room), participants: members });
      state.channels[channel.id] = { id: channel.id, ...fieldsOf(room), name: channel.name, type: channel.type, participants: members, createdAt: toIso(channel.createdAt) };
      state.messages[channel.id] = latest.messages.reverse().map((message) => this.storedView(message, room, 'history'));
      for (const participant of participants) {
        if (participant.kind === 'user') {
          state.users[participant.entityId] ??= { id: participant.entityId, userId: participant.entityId, rooms: [] };
          (state.users[participant.entityId] as { rooms: string[] }).rooms.push(fieldsOf(room).roomId);
          continue;
        }
        const agent = await this.agents.find(participant.entityId);
        if (agent) state.agents[agent.id] = { id: agent.id, name: agent.name, status: agent.status };
      }
    }
    const view = { ...state, socketId: socket.id, entityId: identity.entityId, rooms, serverId: this.identityOfServer.serverId, serverTime: new Date(this.clock.now()).toISOString() };
    socket.emit('world-state', view);
    return view;
  }

  private storedView(message: MessageEntity, room: RoomMembership, source: string): MessageBroadcast {
    return broadcastView({ message, senderName: message.authorId, source, sessionId: room.sessionId }, this.identityOfServer.serverId, room.directAgentId);
  }

  /** A client may speak only as itself, unless its key is admin. */
  private assertActingAs(identity: SocketIdentity, claimed: string | undefined): void {
    if (claimed !== undefined && claimed !== identity.entityId && !identity.isAdmin) {
      throw new ForbiddenError('senderId/entityId must be the authenticated entity', { entityId: identity.entityId });
    }
  }
}

function fieldsOf(room: RoomMembership): ReturnType<typeof roomFields> {
  return roomFields(room.channelId, room.sessionId, room.directAgentId);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
