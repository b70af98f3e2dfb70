import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChannelNotFoundError, Clock, InvalidPaginationError, JsonObject } from '@switchboard/common';
import { ChannelEntity, ChannelType } from './channel.entity';
import { ChannelsRepository } from './channels.repository';
import { Attachment, MessageEntity } from './message.entity';
import { MessagePage, MessageWindow, messageWindowProblem, toMessagePage } from './message-cursor';
import { AppendResult, MessagesRepository } from './messages.repository';
import { ParticipantEntity, ParticipantKind } from './participant.entity';

export interface NewParticipant {
  entityId: string;
  kind: ParticipantKind;
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
}

@Injectable()
export class MessagingService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly messages: MessagesRepository,
    private readonly clock: Clock,
  ) {}

  async createChannel(type: ChannelType, participants: NewParticipant[], name: string | null = null, metadata: JsonObject = {}): Promise<ChannelEntity> {
    const now = this.clock.now();
    const channel: ChannelEntity = { id: randomUUID(), name, type, metadata, createdAt: now };
    await this.channels.createWithParticipants(
      channel,
      participants.map((p) => ({ channelId: channel.id, entityId: p.entityId, kind: p.kind, joinedAt: now })),
    );
    return channel;
  }

  async getChannel(channelId: string): Promise<{ channel: ChannelEntity; participants: ParticipantEntity[] }> {
    const channel = await this.channels.findById(channelId);
    if (!channel) throw new ChannelNotFoundError(`Channel ${channelId} does not exist`, { channelId });
    return { channel, participants: await this.channels.findParticipants(channelId) };
  }

  /** Removes the channel with everything in it; false when it did not exist. */
  deleteChannel(channelId: string): Promise<boolean> {
    return this.channels.deleteById(channelId);
  }

  appendMessage(message: NewMessage): Promise<AppendResult> {
    const draft: MessageEntity = {
      id: message.id ?? randomUUID(),
      channelId: message.channelId,
      authorId: message.authorId,
      isAgent: message.isAgent,
      content: message.content,
      attachments: message.attachments ?? [],
      metadata: message.metadata ?? {},
      thought: message.thought ?? null,
      actions: message.actions ?? null,
      clientMessageId: message.clientMessageId ?? null,
      createdAt: this.clock.now(),
    };
    return this.messages.append(draft);
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

  async listMessages(channelId: string, window: MessageWindow): Promise<MessagePage<MessageEntity>> {
    const problem = messageWindowProblem(window);
    if (problem) throw new InvalidPaginationError(problem, { before: window.before, after: window.after });
    return toMessagePage(await this.messages.findWindow(channelId, window), window);
  }
}
