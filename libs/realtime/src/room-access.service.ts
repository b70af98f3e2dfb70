import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@switchboard/common';
import { grantsAll, Principal, Scope } from '@switchboard/auth';
import { ConversationService, MessagingService, PostedMessage } from '@switchboard/messaging';
import { SessionMessageInput, SessionsService } from '@switchboard/sessions';

export interface Room {
  channelId: string;
  sessionId: string | null;
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
  ) {}

  async resolve(roomId: string, actor: Principal, access: RoomAccess): Promise<Room> {
    if (actor.kind === 'api-key' && !grantsAll(actor.scopes, [API_KEY_SCOPE[access]])) {
      throw new ForbiddenError(`This needs the scope ${API_KEY_SCOPE[access]}`, { requiredScopes: [API_KEY_SCOPE[access]] });
    }
    const session = await this.sessions.findLiveRoom(roomId, actor);
    if (session) return { channelId: session.channelId, sessionId: session.id };
    if (actor.kind === 'session') throw new ForbiddenError('A session token may join only its own session', { sessionId: actor.sessionId });
    const { channel } = await this.messaging.getChannel(roomId);
    return { channelId: channel.id, sessionId: null };
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
