import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, JsonObject } from '@switchboard/common';
import { ChannelEntity, ChannelType } from './channel.entity';
import { ChannelsRepository } from './channels.repository';
import { Attachment, MessageEntity } from './message.entity';
import { MessagePage, MessageWindow, toMessagePage } from './message-cursor';
import { AppendResult, MessagesRepository } from './messages.repository';
import { ParticipantKind } from './participant.entity';

export interface NewParticipant {
  entityId: string;
  kind: ParticipantKind;
}

export interface NewMessage {
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

  async createChannel(type: ChannelType, participants: NewParticipant[], name: string | null = null): Promise<ChannelEntity> {
    const now = this.clock.now();
    const channel: ChannelEntity = { id: randomUUID(), name, type, metadata: {}, createdAt: now };
    await this.channels.createWithParticipants(
      channel,
      participants.map((p) => ({ channelId: channel.id, entityId: p.entityId, kind: p.kind, joinedAt: now })),
    );
    return channel;
  }

  /** Removes the channel with everything in it; false when it did not exist. */
  deleteChannel(channelId: string): Promise<boolean> {
    return this.channels.deleteById(channelId);
  }

  appendMessage(message: NewMessage): Promise<AppendResult> {
    const draft: MessageEntity = {
      id: randomUUID(),
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

  async listMessages(channelId: string, window: MessageWindow): Promise<MessagePage<MessageEntity>> {
    return toMessagePage(await this.messages.findWindow(channelId, window), window);
  }
}
