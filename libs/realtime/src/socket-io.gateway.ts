import { OnModuleDestroy, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ConnectedSocket, OnGatewayConnection, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessLog, Clock, EventBus, ForbiddenError, Metrics, MissingFieldsError, RateLimitError, toIso, toSwitchboardError, ValidationError } from '@switchboard/common';
import { AgentsService } from '@switchboard/agents';
import { RequireScopes, tokenFromHeaders } from '@switchboard/auth';
import { MessageEntity, MessagingService } from '@switchboard/messaging';
import {
  ClientToServerEvents,
  JoinResult,
  MessageBroadcast,
  RoomFields,
  SendResult,
  ServerToClientEvents,
  SignalResult,
  SOCKET_CLIENT_EVENTS,
  WorldState,
} from '@switchboard/client';
import { ClientSignalDto } from './dto/client-signal.dto';
import { JoinRoomDto } from './dto/join-room.dto';
import { LeaveRoomDto } from './dto/leave-room.dto';
import { RequestWorldStateDto } from './dto/request-world-state.dto';
import { SocketSendDto } from './dto/socket-send.dto';
import { TypingDto } from './dto/typing.dto';
import { InstancePeers, PeerEvents } from './instance-peers';
import { RealtimeAuthService } from './realtime-auth.service';
import { ROOM_SCOPES, RoomAccessService } from './room-access.service';
import { SocketIdentity, tokenFromHandshake } from './socket-identity';
import { ServerIdentityService } from './server-identity.service';
import { SocketExceptionFilter } from './socket-exception.filter';
import { logSocketEvent, SocketEventLogInterceptor } from './socket-event-log';
import { broadcastView, inRoom, keyRoom, LOG_ROOM, roomFields, SocketIoFanout } from './socket-io.fanout';
import { SignalType, SocketMessage, SocketMessagePipe } from './socket-message.pipe';
import { SOCKET_MESSAGE_TYPE } from './socket-message-type';
import { SocketPayload } from './socket-payload.decorator';
import { SocketScopesGuard } from './socket-scopes.guard';

/** How many missed messages a rejoining client is sent at most. */
const MAX_REPLAY = 500;
/** How many of a room's latest messages `world-state` carries. */
const WORLD_STATE_MESSAGES = 50;

const KNOWN_EVENTS = new Set(Object.keys(SOCKET_CLIENT_EVENTS));
/** An unknown event's name is the client's to choose: the log keeps this much of it. */
const LOGGED_EVENT_NAME_LENGTH = 100;

interface RoomMembership {
  channelId: string;
  sessionId: string | null;
  directAgentId?: string;
}

interface SocketData {
  identity: SocketIdentity;
  rooms: Map<string, RoomMembership>;
}

export type SwitchboardServer = Server<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
type SwitchboardSocket = Socket<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
/** What an event that succeeded acks; a failure acks the envelope (SocketExceptionFilter). */
type Acked<T> = { ok: true } & T;

/**
 * Socket.IO at `/socket.io/`, speaking both client styles of the seeds: the typed envelope
 * `message {type, payload}` and the named events `join`, `leave`, `message`, `request-world-state`,
 * `typing`. Each event is a handler that returns its ack `{ok: true, …}`; its payload is a DTO,
 * its scopes are declared as on routes, and a failure is answered with the error envelope.
 */
@WebSocketGateway()
@UseGuards(SocketScopesGuard)
@UseFilters(SocketExceptionFilter)
@UseInterceptors(SocketEventLogInterceptor)
export class SocketIoGateway implements OnGatewayInit<SwitchboardServer>, OnGatewayConnection<SwitchboardSocket>, OnModuleDestroy {
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
    private readonly peers: InstancePeers,
    private readonly metrics: Metrics,
    private readonly log: AccessLog,
  ) {}

  afterInit(server: SwitchboardServer): void {
    this.server = server;
    this.peers.bind(server);
    this.metrics.countSocketsWith('socket.io', () => server.sockets.sockets.size);
    server.use((socket, next) => {
      const startedAt = performance.now();
      const token = tokenFromHandshake(socket.handshake) ?? tokenFromHeaders(socket.handshake.headers);
      this.realtimeAuth.identify(token, socket.handshake.address).then(
        (identity) => {
          // A recovered socket comes back with its rooms; keep what it joined.
          const rooms = socket.recovered && socket.data?.rooms instanceof Map ? socket.data.rooms : new Map();
          socket.data = { identity, rooms } satisfies SocketData;
          logSocketEvent(this.log, socket, 'connect', 'ok', startedAt);
          next();
        },
        (error: unknown) => {
          const refusal = toSwitchboardError(error);
          if (refusal instanceof RateLimitError) this.metrics.rateLimitRefused('socket.io', refusal.details.scope);
          logSocketEvent(this.log, socket, 'connect', refusal.code, startedAt);
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
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const refusal = new ValidationError(`Unknown event "${event}"`, { event, known: [...KNOWN_EVENTS] });
      logSocketEvent(this.log, socket, event.slice(0, LOGGED_EVENT_NAME_LENGTH), refusal.code, undefined);
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ ok: false, ...refusal.toEnvelope() });
    });
    socket.on('disconnecting', () => {
      for (const room of socket.data.rooms.values()) {
        socket.to(room.channelId).emit('userLeft', inRoom(fieldsOf(room), { entityId: identity.entityId, userId: identity.entityId, socketId: socket.id }));
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

  @SubscribeMessage('join')
  @RequireScopes({ anyOf: ROOM_SCOPES.read })
  async onJoin(@ConnectedSocket() socket: SwitchboardSocket, @SocketPayload() dto: JoinRoomDto): Promise<Acked<JoinResult>> {
    return ok(await this.join(socket, dto));
  }

  @SubscribeMessage('leave')
  @RequireScopes({ anyOf: ROOM_SCOPES.read })
  async onLeave(@ConnectedSocket() socket: SwitchboardSocket, @SocketPayload() dto: LeaveRoomDto): Promise<Acked<RoomFields>> {
    const roomId = dto.roomId ?? dto.channelId ?? dto.sessionId;
    const room = [...socket.data.rooms.values()].find((r) => r.channelId === roomId || r.sessionId === roomId || r.directAgentId === roomId);
    if (!room) throw new ValidationError('This socket is not in that room', { roomId });
    await socket.leave(room.channelId);
    socket.data.rooms.delete(room.channelId);
    const { entityId } = socket.data.identity;
    socket.to(room.channelId).emit('userLeft', inRoom(fieldsOf(room), { entityId, userId: entityId, socketId: socket.id }));
    return ok(fieldsOf(room));
  }

  /** Joining (type 1) needs a read scope and the rest a write scope of the room's kind: RoomAccessService checks which. */
  @SubscribeMessage('message')
  @RequireScopes({ anyOf: [...ROOM_SCOPES.read, ...ROOM_SCOPES.write] })
  async onMessage(
    @ConnectedSocket() socket: SwitchboardSocket,
    @SocketPayload({ pipe: SocketMessagePipe }) message: SocketMessage,
  ): Promise<Acked<SendResult | JoinResult | SignalResult>> {
    switch (message.kind) {
      case 'join':
        return ok(await this.join(socket, message.join));
      case 'signal':
        return ok(await this.signal(socket, message.signal, message.type));
      case 'send': {
        const sent = await this.send(socket, message.send);
        if (message.typed) socket.emit('message', { type: SOCKET_MESSAGE_TYPE.ACK, payload: sent });
        return ok(sent);
      }
    }
  }

  @SubscribeMessage('typing')
  @RequireScopes({ anyOf: ROOM_SCOPES.read })
  async onTyping(@ConnectedSocket() socket: SwitchboardSocket, @SocketPayload() dto: TypingDto): Promise<Acked<RoomFields>> {
    const room = await this.rooms.resolve(dto.roomId, socket.data.identity.principal, 'read');
    this.events.emit('channel.typing', { channelId: room.channelId, sessionId: room.sessionId, entityId: socket.data.identity.entityId, isTyping: dto.isTyping ?? true, origin: socket.id });
    return ok(fieldsOf(room));
  }

  /**
   * Seed 001's `world-state` `{ agents, users, channels, messages }`, each keyed by id (`messages` by
   * channel id, oldest first) for the requested `roomId` (read access applies; joining is not
   * needed), or for every room this socket is in. `socketId`, `entityId`, `rooms` and `serverTime`
   * stay as Switchboard sent them before.
   */
  @SubscribeMessage('request-world-state')
  @RequireScopes({ anyOf: ROOM_SCOPES.read })
  async onRequestWorldState(@ConnectedSocket() socket: SwitchboardSocket, @SocketPayload({ whenMissing: {} }) dto: RequestWorldStateDto): Promise<Acked<WorldState>> {
    const { identity } = socket.data;
    const targets = dto.roomId ? [await this.rooms.resolve(dto.roomId, identity.principal, 'read')] : [...socket.data.rooms.values()];
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
    return ok(view);
  }

  /**
   * ACK (the client got a message), THINKING (an agent's client is working on a reply) and CONTROL
   * (enable or disable input) are passed on to the room's other sockets as the same typed envelope;
   * CONTROL also as seed 002's `controlMessage`.
   */
  private async signal(socket: SwitchboardSocket, dto: ClientSignalDto, type: SignalType): Promise<SignalResult> {
    const { identity } = socket.data;
    const room = await this.rooms.resolve(dto.roomId, identity.principal, type === SOCKET_MESSAGE_TYPE.ACK ? 'read' : 'write');
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

  private async join(socket: SwitchboardSocket, dto: JoinRoomDto): Promise<JoinResult> {
    const roomId = dto.roomId ?? dto.sessionId ?? dto.channelId;
    if (!roomId) throw new MissingFieldsError('Name the room: roomId (a session or channel id)', { missingFields: ['roomId'] });
    const { identity } = socket.data;
    this.assertActingAs(identity, dto.entityId);
    const room = await this.rooms.resolve(roomId, identity.principal, 'read');
    await socket.join(room.channelId);
    socket.data.rooms.set(room.channelId, room);
    const fields = fieldsOf(room);
    socket.to(room.channelId).emit('userJoined', inRoom(fields, { entityId: identity.entityId, userId: identity.entityId, socketId: socket.id }));
    const missed = await this.messaging.messagesSince(room.channelId, { messageId: dto.lastMessageId, timestamp: dto.lastTimestamp }, MAX_REPLAY);
    for (const message of missed) socket.emit('messageBroadcast', Object.assign(this.storedView(message, room, 'replay'), { replayed: true }));
    return inRoom(fields, { replayed: missed.length });
  }

  /** The named style `{text, roomId, userId, name}` and the typed SEND_MESSAGE payload, normalised by SocketMessagePipe. */
  private async send(socket: SwitchboardSocket, dto: SocketSendDto): Promise<SendResult> {
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
    const createdAt = toIso(posted.message.createdAt);
    return inRoom(fieldsOf(room), { id: posted.message.id, messageId: posted.message.id, createdAt, timestamp: createdAt, duplicate: !posted.created });
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

function ok<T extends object>(result: T): Acked<T> {
  return { ok: true, ...result };
}
