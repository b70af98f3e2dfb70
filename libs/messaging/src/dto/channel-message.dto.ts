import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageEntity } from '../message.entity';
import { MessageFieldsDto } from './message-fields.dto';

export class ChannelMessageDto extends MessageFieldsDto {
  @ApiProperty({ format: 'uuid' })
  channelId!: string;

  @ApiProperty()
  text!: string;

  static from(message: MessageEntity): ChannelMessageDto {
    return { ...MessageFieldsDto.fieldsOf(message), channelId: message.channelId, text: message.content };
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
