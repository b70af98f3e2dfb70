import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, ChannelNotFoundError, Clock, ForbiddenError, InvalidContentError, InvalidPaginationError, JsonObject, timeOrderedUuid } from '@switchboard/common';
import { grantsAll, Principal } from '@switchboard/auth';
import { findActiveMarkup } from './active-markup';
import { canSeeChannel } from './channel-access';
import { ChannelEntity, ChannelType } from './channel.entity';
import { ChannelsRepository } from './channels.repository';
import { Attachment, MessageEntity } from './message.entity';
import { MessagePage, MessageWindow, messageWindowProblem, toMessagePage } from './message-cursor';
import { AppendResult, MessagesRepository, SessionGuard } from './messages.repository';
import { ParticipantEntity, ParticipantKind } from './participant.entity';
import { TurnsRepository } from './turns.repository';
import type { Statement } from '@switchboard/persistence';

export interface NewParticipant {
  entityId: string;
  kind: ParticipantKind;
}

export interface NewChannel {
  /** Given only where a channel's id must be derived from what it is (a direct channel). */
  id?: string;
  type: ChannelType;
  participants: NewParticipant[];
  name?: string | null;
  metadata?: JsonObject;
  /** The API key it belongs to; null for SWITCHBOARD_ADMIN_TOKEN. */
  createdBy: string | null;
}

export interface NewMessage {
  /** Chosen by the caller when it must be known before the message is stored (streamed replies). */
  id?: string;
  channelId: string;
  authorId: string;
  isAgent: boolean;
  content: string;
  attachments?: Attachment[];
  metadata?: JsonObject;
  thought?: string;
  actions?: string[];
  clientMessageId?: string;
  /** An agent's reply: the user message it answers. */
  inReplyTo?: string;
}

/**
 * What a message does to agent turns, in the same commit: a user message enqueues its turn (claimed
 * at once for `owner` when its channel is idle); an agent's last reply ends the turn it answers.
 */
/** What commits with a message: another aggregate's statements, and the condition that its session be live. */
export interface AppendOptions {
  alsoWrite?: Statement[];
  whileSessionLive?: SessionGuard;
}

export type TurnWrite =
  | { enqueue: { sessionId: string | null; owner: string; leaseUntil: number } }
  | { finish: { owner: string; next?: { leaseUntil: number } } };

@Injectable()
export class MessagingService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly messages: MessagesRepository,
    private readonly turns: TurnsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async createChannel({ id = randomUUID(), type, participants, name = null, metadata = {}, createdBy }: NewChannel): Promise<ChannelEntity> {
    const now = this.clock.now();
    const channel: ChannelEntity = { id, name, type, metadata, createdBy, createdAt: now };
    await this.channels.createWithParticipants(
      channel,
      participants.map((p) => ({ channelId: channel.id, entityId: p.entityId, kind: p.kind, joinedAt: now })),
    );
    return channel;
  }

  /** The channel if the actor may see it (see canSeeChannel); 404 alike whether it is missing or someone else's. */
  async findVisibleChannel(channelId: string, actor: Principal): Promise<{ channel: ChannelEntity; participants: ParticipantEntity[] }> {
    const found = await this.channels.findById(channelId);
    const participants = found ? await this.channels.findParticipants(channelId) : [];
    if (!found || !canSeeChannel(actor, found, participants)) throw new ChannelNotFoundError(`Channel ${channelId} does not exist`, { channelId });
    return { channel: found, participants };
  }

  /**
   * A channel as the channel routes may read it: a session's channel belongs to its session, and
   * only `sessions:manage` (or admin) reads it here; its own key is sent to the session's routes,
   * where expiry and rate limits apply.
   */
  async getChannelFor(channelId: string, actor: Principal): Promise<{ channel: ChannelEntity; participants: ParticipantEntity[] }> {
    const found = await this.findVisibleChannel(channelId, actor);
    if (found.channel.type === 'session' && !grantsAll(actor.scopes, ['sessions:manage'])) {
      throw new ForbiddenError('This channel belongs to a session: read it through the session routes', { sessionId: found.channel.metadata.sessionId });
    }
    return found;
  }

  findChannel(channelId: string): Promise<ChannelEntity | null> {
    return this.channels.findById(channelId);
  }

  async getChannel(channelId: string): Promise<{ channel: ChannelEntity; participants: ParticipantEntity[] }> {
    const channel = await this.channels.findById(channelId);
    if (!channel) throw new ChannelNotFoundError(`Channel ${channelId} does not exist`, { channelId });
    return { channel, participants: await this.channels.findParticipants(channelId) };
  }

  async addParticipants(channelId: string, participants: NewParticipant[]): Promise<void> {
    const now = this.clock.now();
    await this.channels.addParticipants(participants.map((p) => ({ channelId, entityId: p.entityId, kind: p.kind, joinedAt: now })));
  }

  /** Removes the channel with everything in it; false when it did not exist. */
  deleteChannel(channelId: string): Promise<boolean> {
    return this.channels.deleteById(channelId);
  }

  /**
   * Every message a person sends, on any transport, is stored here: CONTENT_POLICY is applied here.
   * With `turn`, the turn's change commits with it: an acknowledged message always has its turn,
   * and a turn ends exactly when its reply is stored.
   */
  /**
   * Stores a message, with its turn's statements and `alsoWrite` (another aggregate's change that
   * goes with it, such as its session's activity) in the same commit; their rows, in that order, are
   * the result's `writtenWith`. With `whileSessionLive`, nothing is written unless the session is
   * live as the write commits (SessionNotLiveError).
   */
  appendMessage(message: NewMessage, turn?: TurnWrite, { alsoWrite = [], whileSessionLive }: AppendOptions = {}): Promise<AppendResult> {
    if (!message.isAgent && this.config.contentPolicy === 'reject-active-markup') {
      const markup = findActiveMarkup(message.content);
      if (markup) {
        return Promise.reject(
          new InvalidContentError('Message content must not carry active markup (scripts, event handlers, javascript: URLs, iframes, objects); put code in Markdown code spans or blocks', {
            activeMarkup: markup,
          }),
        );
      }
    }
    const now = this.clock.now();
    const draft: MessageEntity = {
      id: message.id ?? timeOrderedUuid(now),
      channelId: message.channelId,
      authorId: message.authorId,
      isAgent: message.isAgent,
      content: message.content,
      attachments: message.attachments ?? [],
      metadata: message.metadata ?? {},
      thought: message.thought ?? null,
      actions: message.actions ?? null,
      clientMessageId: message.clientMessageId ?? null,
      inReplyTo: message.inReplyTo ?? null,
      createdAt: now,
    };
    return this.messages.append(draft, [...(turn ? this.turnStatements(draft, turn) : []), ...alsoWrite], whileSessionLive);
  }

  private turnStatements(draft: MessageEntity, turn: TurnWrite): Statement[] {
    if ('enqueue' in turn) return [this.turns.enqueueStatement(draft, turn.enqueue.sessionId, turn.enqueue.owner, turn.enqueue.leaseUntil)];
    return this.turns.finishStatements({ messageId: draft.inReplyTo ?? '', channelId: draft.channelId }, turn.finish.owner, turn.finish.next);
  }

  /**
   * Messages of the channel after a message (by id) or a timestamp, oldest first, at most `max`:
   * what a reconnecting client missed.
   */
  async messagesSince(channelId: string, since: { messageId?: string; timestamp?: number }, max: number): Promise<MessageEntity[]> {
    const anchor = since.messageId ? await this.messages.findInChannel(channelId, since.messageId) : null;
    let after = anchor?.createdAt ?? since.timestamp;
    if (after === undefined) return [];
    const missed: MessageEntity[] = [];
    while (missed.length < max) {
      const window: MessageWindow = { after, limit: Math.min(100, max - missed.length) };
      const page: MessagePage<MessageEntity> = toMessagePage(await this.messages.findWindow(channelId, window), window);
      missed.push(...page.messages.reverse());
      if (!page.hasMore || page.cursors.after === null) break;
      after = page.cursors.after;
    }
    return missed;
  }

  /** The replies stored for a user message, oldest first. */
  repliesTo(messageId: string): Promise<MessageEntity[]> {
    return this.messages.findReplies(messageId);
  }

  async listMessages(channelId: string, window: MessageWindow): Promise<MessagePage<MessageEntity>> {
    const problem = messageWindowProblem(window);
    if (problem) throw new InvalidPaginationError(problem, { before: window.before, after: window.after });
    return toMessagePage(await this.messages.findWindow(channelId, window), window);
  }
}
