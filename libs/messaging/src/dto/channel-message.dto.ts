import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JsonObject, toIso } from '@switchboard/common';
import { MessageEntity } from '../message.entity';

export class ChannelMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty()
  authorId!: string;

  @ApiProperty()
  isAgent!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'createdAt as epoch ms: the value cursors use' })
  timestamp!: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: JsonObject;

  @ApiPropertyOptional({ format: 'uuid' })
  messageId?: string;

  @ApiPropertyOptional()
  thought?: string;

  @ApiPropertyOptional({ type: [String] })
  actions?: string[];

  static from(message: MessageEntity): ChannelMessageDto {
    return {
      id: message.id,
      channelId: message.channelId,
      text: message.content,
      authorId: message.authorId,
      isAgent: message.isAgent,
      createdAt: toIso(message.createdAt),
      timestamp: message.createdAt,
      metadata: message.metadata,
      ...(message.clientMessageId ? { messageId: message.clientMessageId } : {}),
      ...(message.thought ? { thought: message.thought } : {}),
      ...(message.actions ? { actions: message.actions } : {}),
    };
  }
}

export class AgentResponseDto {
  @ApiProperty({ format: 'uuid' })
  messageId!: string;

  @ApiProperty({ format: 'uuid' })
  agentId!: string;

  @ApiProperty()
  text!: string;

  @ApiProperty({ nullable: true, type: String })
  thought!: string | null;

  @ApiProperty({ type: [String] })
  actions!: string[];
}

export class AgentErrorDto {
  @ApiProperty({ example: 'PROVIDER_TIMEOUT' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class PostedChannelMessageDto {
  @ApiProperty({ example: true })
  success!: true;

  @ApiProperty({ type: ChannelMessageDto })
  userMessage!: ChannelMessageDto;

  @ApiPropertyOptional({ type: AgentResponseDto, nullable: true, description: 'sync/http mode only' })
  agentResponse?: AgentResponseDto | null;

  @ApiPropertyOptional({ type: AgentErrorDto, description: 'sync/http mode, when the agent failed; the user message is stored' })
  agentError?: AgentErrorDto;
}

export class ChannelMessagePageDto {
  @ApiProperty({ type: [ChannelMessageDto], description: 'Newest first' })
  messages!: ChannelMessageDto[];

  @ApiProperty()
  hasMore!: boolean;

  @ApiProperty({ type: 'object', properties: { before: { type: 'number', nullable: true }, after: { type: 'number', nullable: true } } })
  cursors!: { before: number | null; after: number | null };
}
