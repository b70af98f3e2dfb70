import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { ChannelNotFoundError, ForbiddenError } from '@switchboard/common';
import { grantsAll, Principal, Scope } from '@switchboard/auth';
import { ConversationService, MessagingService, PostedMessage } from '@switchboard/messaging';
import { isUniqueViolation } from '@switchboard/persistence';
import { SessionMessageInput, SessionsService } from '@switchboard/sessions';
import { directChannelId, DirectRooms } from './direct-rooms';

export interface Room {
  channelId: string;
  sessionId: string | null;
  /** A direct channel opened by an agent's id: the id its events carry as `roomId`. */
  directAgentId?: string;
}

export type RoomAccess = 'read' | 'write';

const API_KEY_SCOPE: Record<RoomAccess, Scope> = { read: 'messaging:read', write: 'messaging:write' };

/**
 * Which channel a room id names and whether the caller may use it: a session token only its own
 * session's room; an API key `messaging:read` to join and `messaging:write` to send, and for a
 * session's room the same visibility as the REST routes.
 */
@Injectable()
export class RoomAccessService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly messaging: MessagingService,
    private readonly conversation: ConversationService,
    private readonly agents: AgentsService,
    private readonly direct: DirectRooms,
  ) {}

  /**
   * A room id names a session, a channel, or an agent: then it is the caller's direct channel with
   * that agent (seed 002's minimal client joins the agent's id), opened on first use.
   */
  async resolve(roomId: string, actor: Principal, access: RoomAccess): Promise<Room> {
    if (actor.kind === 'api-key' && !grantsAll(actor.scopes, [API_KEY_SCOPE[access]])) {
      throw new ForbiddenError(`This needs the scope ${API_KEY_SCOPE[access]}`, { requiredScopes: [API_KEY_SCOPE[access]] });
    }
    const session = await this.sessions.findLiveRoom(roomId, actor);
    if (session) return { channelId: session.channelId, sessionId: session.id };
    if (actor.kind === 'session') throw new ForbiddenError('A session token may join only its own session', { sessionId: actor.sessionId });
    try {
      const { channel } = await this.messaging.getChannel(roomId);
      const directAgentId = typeof channel.metadata.directAgentId === 'string' ? channel.metadata.directAgentId : undefined;
      if (directAgentId) this.direct.remember(channel.id, directAgentId);
      return { channelId: channel.id, sessionId: null, directAgentId };
    } catch (error) {
      const agent = error instanceof ChannelNotFoundError ? await this.agents.find(roomId) : null;
      if (!agent) throw error;
      return this.directRoom(actorEntityId(actor), agent.id);
    }
  }

  private async directRoom(entityId: string, agentId: string): Promise<Room> {
    const channelId = directChannelId(entityId, agentId);
    const existing = await this.messaging.findChannel(channelId);
    if (!existing) {
      const participants = [
        { entityId, kind: 'user' as const },
        { entityId: agentId, kind: 'agent' as const },
      ];
      await this.messaging.createChannel('group', participants, `direct:${entityId}`, { origin: 'direct', directAgentId: agentId, entityId }, channelId).catch((error: unknown) => {
        // Two first joins at once: the other one created it.
        if (!isUniqueViolation(error)) throw error;
      });
    }
    this.direct.remember(channelId, agentId);
    return { channelId, sessionId: null, directAgentId: agentId };
  }

  /**
   * Posts a user's message into a resolved room: through its session when it has one (expiry,
   * renewal and rate limits apply), straight into the channel otherwise, as `authorId`.
   */
  post(room: Room, actor: Principal, authorId: string, message: SessionMessageInput): Promise<PostedMessage> {
    if (room.sessionId) return this.sessions.sendMessage(room.sessionId, actor, message);
    return this.conversation.post({
      channelId: room.channelId,
      authorId,
      isAgent: false,
      content: message.content,
      clientMessageId: message.messageId,
      metadata: message.metadata,
      attachments: message.attachments,
      senderName: message.senderName,
      source: message.source,
    });
  }
}

/** Who a principal speaks as in a direct channel: the same entity its sockets are. */
function actorEntityId(actor: Principal): string {
  return actor.kind === 'api-key' ? (actor.keyId ?? 'admin') : actor.sessionId;
}
