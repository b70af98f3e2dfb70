import { Injectable, LogLevel } from '@nestjs/common';
import type { Server } from 'socket.io';
import { ClientToServerEvents, LogEntry, MessageBroadcast, RoomFields, ServerToClientEvents } from '@switchboard/client';
import { AppConfig, DomainEvents, EventBus, PINO_LEVEL_VALUE, toIso } from '@switchboard/common';
import { AgentsService } from '@switchboard/agents';
import { DirectRooms } from './direct-rooms';
import { RECOVERY_WINDOW_MS } from './realtime-io.adapter';
import { ServerIdentityService } from './server-identity.service';
import { RoomAudience } from './room-audience';
import { SOCKET_MESSAGE_TYPE } from './socket-message-type';

/** Admin sockets join this room to receive `logEntry`. */
export const LOG_ROOM = 'switchboard:logs';

/** Every socket opened with an API key, or a session token it issued, joins the key's room, so revoking the key can end them. */
export function keyRoom(keyId: string): string {
  return `switchboard:key:${keyId}`;
}

/**
 * The room fields every room event carries: clients filter on `roomId === id || channelId === id`.
 * A direct channel joined by an agent's id is known by that id.
 */
export function roomFields(channelId: string, sessionId: string | null, directAgentId?: string): RoomFields {
  if (sessionId) return { roomId: sessionId, channelId, sessionId };
  return { roomId: directAgentId ?? channelId, channelId };
}

/**
 * The room fields, then `fields`: what `{ ...room, ...fields }` gives, built without the spread.
 * V8 (Node 20) builds an object literal that starts with a spread and goes on with more properties
 * about ten times slower than one assigned into: 12 µs against 1 µs for a broadcast view, and the
 * fan-out builds a handful per send.
 */
export function inRoom<T extends object>(room: RoomFields, fields: T): RoomFields & T {
  return Object.assign(room.sessionId === undefined ? { roomId: room.roomId, channelId: room.channelId } : { roomId: room.roomId, channelId: room.channelId, sessionId: room.sessionId }, fields);
}

/** Seed 001's `logEntry` `{ level, time, msg, agentId, agentName }`, with what Switchboard sent before as extra fields. */
export function logEntryView(entry: DomainEvents['log.entry']): LogEntry {
  return {
    level: PINO_LEVEL_VALUE[entry.level as LogLevel] ?? PINO_LEVEL_VALUE.log,
    time: entry.timestamp,
    msg: entry.message,
    agentId: entry.agentId ?? null,
    agentName: entry.agentName ?? null,
    levelName: entry.level,
    context: entry.context,
    message: entry.message,
    timestamp: toIso(entry.timestamp),
  };
}

export function broadcastView({ message, senderName, source, sessionId }: DomainEvents['message.created'], serverId: string, directAgentId?: string): MessageBroadcast {
  const createdAt = toIso(message.createdAt);
  // Assigned into the fresh room fields rather than spread from them (see inRoom).
  return Object.assign(roomFields(message.channelId, sessionId, directAgentId), {
    serverId,
    id: message.id,
    messageId: message.id,
    clientMessageId: message.clientMessageId,
    senderId: message.authorId,
    senderName,
    text: message.content,
    isAgent: message.isAgent,
    createdAt,
    timestamp: createdAt,
    source,
    thought: message.thought,
    actions: message.actions ?? [],
    attachments: message.attachments,
    metadata: message.metadata,
  });
}

/** Turns domain events into Socket.IO events for the rooms they concern. */
@Injectable()
export class SocketIoFanout {
  constructor(
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly identity: ServerIdentityService,
    private readonly direct: DirectRooms,
    private readonly agents: AgentsService,
  ) {}

  attach(server: Server<ClientToServerEvents, ServerToClientEvents>): () => void {
    // Through Redis, other instances' sockets may be in any room, so every event is published.
    const audience = this.config.redisUrl ? null : new RoomAudience(server.of('/').adapter, RECOVERY_WINDOW_MS);
    /** The channel's room, or null when no socket can receive from it: the event is not even encoded. */
    const toChannel = (channelId: string) => (audience === null || audience.mayReach(channelId) ? server.to(channelId) : null);
    /** The channel's room and its room fields, once known (a direct channel opened on another instance is read first). */
    const toRoom = (channelId: string, sessionId: string | null, emit: (to: ReturnType<Server['to']>, room: ReturnType<typeof roomFields>) => void) => {
      const to = toChannel(channelId);
      if (to) this.direct.withAlias(channelId, (alias) => emit(to, roomFields(channelId, sessionId, alias)));
    };
    /** Seed 002's `controlMessage`, and the same as the typed envelope's CONTROL (6). */
    const control = (to: ReturnType<Server['to']>, room: ReturnType<typeof roomFields>, action: 'disable_input' | 'enable_input', agentId: string) => {
      to.emit('controlMessage', inRoom(room, { action, agentId }));
      to.emit('message', { type: SOCKET_MESSAGE_TYPE.CONTROL, payload: inRoom(room, { action, agentId }) });
    };
    const unsubscribe = [
      this.events.on('message.created', (event) => {
        const { channelId } = event.message;
        const to = toChannel(channelId);
        if (to) this.direct.withAlias(channelId, (alias) => to.emit('messageBroadcast', broadcastView(event, this.identity.serverId, alias)));
      }),
      this.events.on('agent.thinking', ({ channelId, sessionId, agentId, inReplyTo }) =>
        toRoom(channelId, sessionId, (to, room) => {
          control(to, room, 'disable_input', agentId);
          to.emit('message', { type: SOCKET_MESSAGE_TYPE.THINKING, payload: inRoom(room, { agentId, inReplyTo, thinking: true }) });
        }),
      ),
      this.events.on('agent.turn-ended', ({ channelId, sessionId, agentId, inReplyTo, replyId, error }) =>
        toRoom(channelId, sessionId, (to, room) => {
          if (error) {
            to.emit('error', { error: 'AgentReplyError', code: error.code, message: error.message, details: inRoom(room, { agentId, inReplyTo }) });
          }
          to.emit('messageComplete', inRoom(room, { serverId: this.identity.serverId, agentId, inReplyTo, messageId: replyId, success: error === null }));
          control(to, room, 'enable_input', agentId);
        }),
      ),
      this.events.on('channel.typing', ({ channelId, sessionId, entityId, isTyping, origin }) =>
        toRoom(channelId, sessionId, (to, room) => to.except(origin).emit('userTyping', inRoom(room, { entityId, userId: entityId, isTyping }))),
      ),
      this.events.on('conversation.handoff', ({ channelId, sessionId, fromAgent, toAgent, reason }) =>
        toRoom(channelId, sessionId, (to, room) => to.emit('agent_handoff', inRoom(room, { fromAgent, toAgent, reason }))),
      ),
      this.events.on('session.renewed', ({ sessionId, channelId, expiresAt, renewalCount }) =>
        toChannel(channelId)?.emit('sessionRenewed', { sessionId, expiresAt: toIso(expiresAt), renewalCount }),
      ),
      this.events.on('session.expiring', ({ sessionId, channelId, minutesRemaining, expiresAt }) =>
        toChannel(channelId)?.emit('sessionExpirationWarning', { sessionId, minutesRemaining, expiresAt: toIso(expiresAt) }),
      ),
      this.events.on('session.expired', ({ sessionId, channelId, expiredAt }) =>
        toChannel(channelId)?.emit('sessionExpired', { sessionId, expiredAt: toIso(expiredAt) }),
      ),
      this.events.on('auth.key-revoked', ({ keyId }) => server.in(keyRoom(keyId)).disconnectSockets(true)),
      this.events.on('log.entry', (entry) => void this.withAgentName(entry).then((named) => server.to(LOG_ROOM).emit('logEntry', logEntryView(named)))),
    ];
    return () => {
      unsubscribe.forEach((off) => off());
      audience?.close();
    };
  }

  /** Never fails: a log line about an agent that cannot be looked up is sent without its name. */
  private async withAgentName(entry: DomainEvents['log.entry']): Promise<DomainEvents['log.entry']> {
    if (!entry.agentId || entry.agentName) return entry;
    const agent = await this.agents.find(entry.agentId).catch(() => null);
    return { ...entry, agentName: agent?.name };
  }
}
