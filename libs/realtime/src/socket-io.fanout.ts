import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { AppConfig, DomainEvents, EventBus, toIso } from '@switchboard/common';
import { RECOVERY_WINDOW_MS } from './realtime-io.adapter';
import { RoomAudience } from './room-audience';
import { SOCKET_MESSAGE_TYPE } from './socket-message-type';

/** Admin sockets join this room to receive `logEntry`. */
export const LOG_ROOM = 'switchboard:logs';

/** Every socket opened with an API key joins its key's room, so revoking the key can end them. */
export function keyRoom(keyId: string): string {
  return `switchboard:key:${keyId}`;
}

/** The room fields every room event carries: clients filter on `roomId === id || channelId === id`. */
export function roomFields(channelId: string, sessionId: string | null): { roomId: string; channelId: string; sessionId?: string } {
  return sessionId ? { roomId: sessionId, channelId, sessionId } : { roomId: channelId, channelId };
}

export function broadcastView({ message, senderName, source, sessionId }: DomainEvents['message.created']): Record<string, unknown> {
  return {
    ...roomFields(message.channelId, sessionId),
    id: message.id,
    messageId: message.id,
    clientMessageId: message.clientMessageId,
    senderId: message.authorId,
    senderName,
    text: message.content,
    isAgent: message.isAgent,
    createdAt: toIso(message.createdAt),
    timestamp: message.createdAt,
    source,
    thought: message.thought,
    actions: message.actions ?? [],
    attachments: message.attachments,
    metadata: message.metadata,
  };
}

/** Turns domain events into Socket.IO events for the rooms they concern. */
@Injectable()
export class SocketIoFanout {
  constructor(
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {}

  attach(server: Server): () => void {
    // Through Redis, other instances' sockets may be in any room, so every event is published.
    const audience = this.config.redisUrl ? null : new RoomAudience(server.of('/').adapter, RECOVERY_WINDOW_MS);
    /** The channel's room, or null when no socket can receive from it: the event is not even encoded. */
    const toChannel = (channelId: string) => (audience === null || audience.mayReach(channelId) ? server.to(channelId) : null);
    const unsubscribe = [
      this.events.on('message.created', (event) => toChannel(event.message.channelId)?.emit('messageBroadcast', broadcastView(event))),
      this.events.on('agent.thinking', ({ channelId, sessionId, agentId, inReplyTo }) => {
        const to = toChannel(channelId);
        if (!to) return;
        const room = roomFields(channelId, sessionId);
        to.emit('controlMessage', { ...room, action: 'disable_input', agentId });
        to.emit('message', { type: SOCKET_MESSAGE_TYPE.THINKING, payload: { ...room, agentId, inReplyTo, thinking: true } });
      }),
      this.events.on('agent.turn-ended', ({ channelId, sessionId, agentId, inReplyTo, replyId, error }) => {
        const to = toChannel(channelId);
        if (!to) return;
        const room = roomFields(channelId, sessionId);
        if (error) {
          to.emit('error', { error: 'AgentReplyError', code: error.code, message: error.message, details: { ...room, agentId, inReplyTo } });
        }
        to.emit('messageComplete', { ...room, agentId, inReplyTo, messageId: replyId, success: error === null });
        to.emit('controlMessage', { ...room, action: 'enable_input', agentId });
      }),
      this.events.on('channel.typing', ({ channelId, sessionId, entityId, isTyping, origin }) =>
        toChannel(channelId)?.except(origin).emit('userTyping', { ...roomFields(channelId, sessionId), entityId, isTyping }),
      ),
      this.events.on('conversation.handoff', ({ channelId, sessionId, fromAgent, toAgent, reason }) =>
        toChannel(channelId)?.emit('agent_handoff', { ...roomFields(channelId, sessionId), fromAgent, toAgent, reason }),
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
      this.events.on('log.entry', (entry) => server.to(LOG_ROOM).emit('logEntry', { ...entry, timestamp: toIso(entry.timestamp) })),
    ];
    return () => {
      unsubscribe.forEach((off) => off());
      audience?.close();
    };
  }
}
