import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toIso, JsonObject } from '@switchboard/common';
import type { MessageEntity } from '@switchboard/messaging';
import { AttachmentDto } from './send-session-message.dto';

export class SessionMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({ description: 'The session\'s userId, or the agentId for agent replies' })
  authorId!: string;

  @ApiProperty()
  isAgent!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'createdAt as epoch ms: the value cursors use' })
  timestamp!: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: JsonObject;

  @ApiProperty({ type: [AttachmentDto] })
  attachments!: AttachmentDto[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The client messageId it was sent with' })
  messageId?: string;

  @ApiPropertyOptional()
  thought?: string;

  @ApiPropertyOptional({ type: [String] })
  actions?: string[];

  static from(message: MessageEntity): SessionMessageDto {
    return {
      id: message.id,
      content: message.content,
      authorId: message.authorId,
      isAgent: message.isAgent,
      createdAt: toIso(message.createdAt),
      timestamp: message.createdAt,
      metadata: message.metadata,
      attachments: message.attachments,
      ...(message.clientMessageId ? { messageId: message.clientMessageId } : {}),
      ...(message.thought ? { thought: message.thought } : {}),
      ...(message.actions ? { actions: message.actions } : {}),
    };
  }
}

export class SessionStatusDto {
  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty()
  renewalCount!: number;

  @ApiProperty({ description: 'True when this message moved expiresAt forward' })
  wasRenewed!: boolean;

  @ApiProperty()
  isNearExpiration!: boolean;
}

export class SentSessionMessageDto extends SessionMessageDto {
  @ApiProperty({ type: SessionStatusDto })
  sessionStatus!: SessionStatusDto;
}

export class MessageCursorsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `before` for older messages' })
  before!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `after` for newer messages' })
  after!: number | null;
}

export class SessionMessagePageDto {
  @ApiProperty({ type: [SessionMessageDto], description: 'Newest first' })
  messages!: SessionMessageDto[];

  @ApiProperty({ description: 'More messages exist beyond this page in the direction read' })
  hasMore!: boolean;

  @ApiProperty({ type: MessageCursorsDto })
  cursors!: MessageCursorsDto;
}
