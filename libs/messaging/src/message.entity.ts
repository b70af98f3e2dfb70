import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, JsonObject } from '@switchboard/common';

export interface Attachment {
  type: string;
  url: string;
  name?: string;
}

@Entity('messages')
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  @Column({ name: 'author_id', type: 'varchar', length: 255 })
  authorId!: string;

  @Column({ name: 'is_agent', type: 'boolean' })
  isAgent!: boolean;

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'simple-json' })
  attachments!: Attachment[];

  @Column({ type: 'simple-json' })
  metadata!: JsonObject;

  @Column({ type: 'text', nullable: true })
  thought!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  actions!: string[] | null;

  @Column({ name: 'client_message_id', type: 'varchar', length: 36, nullable: true })
  clientMessageId!: string | null;

  /** For an agent's reply, the user message it answers: one reply per message and agent. */
  @Column({ name: 'in_reply_to', type: 'varchar', length: 36, nullable: true })
  inReplyTo!: string | null;

  /** Unique within the channel: the exact epoch-ms cursor of this message. */
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
