import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { ChannelNotFoundError } from '@switchboard/common';
import { grantsAll, Principal, Scope, scopeRefusal } from '@switchboard/auth';
import { ChannelPostingService, entityIdOf, MessagingService, PostedMessage } from '@switchboard/messaging';
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

const SESSION_SCOPE: Record<RoomAccess, Scope> = { read: 'sessions:read', write: 'sessions:write' };
const CHANNEL_SCOPE: Record<RoomAccess, Scope> = { read: 'messaging:read', write: 'messaging:write' };
/** Either kind of room: what a socket event declares before it knows which room it names. */
export const ROOM_SCOPES: Record<RoomAccess, Scope[]> = {
  read: [SESSION_SCOPE.read, CHANNEL_SCOPE.read],
  write: [SESSION_SCOPE.write, CHANNEL_SCOPE.write],
};

/**
 * Which channel a room id names and whether the caller may use it. A session's room: with the
 * scope the session routes need for the same thing (`sessions:read` to join, `sessions:write` to
 * send; `messaging:*` also does), on a session the caller may see (a session token its own, a key
 * those it created, `sessions:manage` all). A group channel: with `messaging:read`/`messaging:write`,
 * on a channel the caller may see (see canSeeChannel). Anything else does not exist for the caller.
 */
@Injectable()
export class RoomAccessService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly messaging: MessagingService,
    private readonly posting: ChannelPostingService,
    private readonly agents: AgentsService,
    private readonly direct: DirectRooms,
  ) {}

  /**
   * A room id names a session, a channel, or an agent: then it is the caller's direct channel with
   * that agent (seed 002's minimal client joins the agent's id), opened on first use.
   */
  async resolve(roomId: string, actor: Principal, access: RoomAccess): Promise<Room> {
    const refusal = scopeRefusal(actor.scopes, { scopes: ROOM_SCOPES[access], anyOf: true });
    if (refusal) throw refusal;
    const channelScope = grantsAll(actor.scopes, [CHANNEL_SCOPE[access]]);
    const session = await this.sessions.findLiveRoom(roomId, actor);
    if (session) return { channelId: session.channelId, sessionId: session.id };
    if (actor.kind === 'session' || !channelScope) throw new ChannelNotFoundError(`Room ${roomId} does not exist`, { roomId });
    if (!(await this.messaging.findChannel(roomId))) {
      const agent = await this.agents.find(roomId);
      if (!agent) throw new ChannelNotFoundError(`Room ${roomId} does not exist`, { roomId });
      return this.directRoom(actor, agent.id);
    }
    const { channel } = await this.messaging.findVisibleChannel(roomId, actor);
    const directAgentId = typeof channel.metadata.directAgentId === 'string' ? channel.metadata.directAgentId : undefined;
    if (directAgentId) this.direct.remember(channel.id, directAgentId);
    return { channelId: channel.id, sessionId: null, directAgentId };
  }

  /** The key's own channel with the agent, the same on every instance; it belongs to the key. */
  private async directRoom(actor: Extract<Principal, { kind: 'api-key' }>, agentId: string): Promise<Room> {
    const entityId = entityIdOf(actor);
    const channelId = directChannelId(entityId, agentId);
    const existing = await this.messaging.findChannel(channelId);
    if (!existing) {
      const participants = [
        { entityId, kind: 'user' as const },
        { entityId: agentId, kind: 'agent' as const },
      ];
      const metadata = { origin: 'direct', directAgentId: agentId, entityId };
      await this.messaging.createChannel({ id: channelId, type: 'group', participants, name: `direct:${entityId}`, metadata, createdBy: actor.keyId }).catch((error: unknown) => {
        // Two first joins at once: the other one created it.
        if (!isUniqueViolation(error)) throw error;
      });
    }
    this.direct.remember(channelId, agentId);
    return { channelId, sessionId: null, directAgentId: agentId };
  }

  /**
   * Posts a user's message into a resolved room: through its session when it has one (expiry,
   * renewal and rate limits apply), else into the group channel as `authorId` (ownership and rate
   * limits apply there).
   */
  post(room: Room, actor: Principal, authorId: string, message: SessionMessageInput): Promise<PostedMessage> {
    if (room.sessionId) return this.sessions.sendMessage(room.sessionId, actor, message);
    return this.posting.post(room.channelId, actor, {
      authorId,
      content: message.content,
      clientMessageId: message.messageId,
      metadata: message.metadata,
      attachments: message.attachments,
      senderName: message.senderName,
      source: message.source,
    });
  }
}
