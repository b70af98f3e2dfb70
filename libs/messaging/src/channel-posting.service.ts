import { Injectable } from '@nestjs/common';
import { AppConfig, ConflictError, ForbiddenError } from '@switchboard/common';
import { Principal, RateLimiter, requestRules } from '@switchboard/auth';
import { entityIdOf, maySpeakAs } from './channel-access';
import { ConversationService, PostedMessage, PostInput, TurnObserver } from './conversation.service';
import { MessagingService } from './messaging.service';

export type ChannelPost = Omit<PostInput, 'channelId' | 'isAgent' | 'sessionId'>;

/**
 * A user's message into a group channel, from any transport (REST, Socket.IO, /ws): the channel
 * must be the caller's, the caller speaks only as itself, and the message counts against the same
 * rate limits as a session send, since it starts a turn of every agent in the channel.
 */
@Injectable()
export class ChannelPostingService {
  constructor(
    private readonly messaging: MessagingService,
    private readonly conversation: ConversationService,
    private readonly rateLimiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async post(channelId: string, actor: Principal, message: ChannelPost, observer?: TurnObserver): Promise<PostedMessage> {
    const { channel, participants } = await this.messaging.findVisibleChannel(channelId, actor);
    if (channel.type === 'session') {
      throw new ConflictError('This channel belongs to a session: send through the session so its expiry and renewal apply', { sessionId: channel.metadata.sessionId });
    }
    if (actor.kind !== 'api-key') throw new ForbiddenError('A session token may post only into its own session');
    if (!maySpeakAs(actor, message.authorId, entityIdOf(actor))) {
      throw new ForbiddenError('entityId must be the authenticated entity', { entityId: entityIdOf(actor) });
    }
    await this.rateLimiter.admit(
      requestRules(this.config.rateLimits, {
        ownerKeyId: actor.keyId,
        userId: message.authorId,
        agentIds: participants.filter((p) => p.kind === 'agent').map((p) => p.entityId),
        conversation: { kind: 'channel', id: channel.id },
      }),
    );
    return this.conversation.post({ ...message, channelId: channel.id, isAgent: false }, observer);
  }
}
