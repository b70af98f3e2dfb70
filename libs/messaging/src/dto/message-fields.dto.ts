import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JsonObject, toIso } from '@switchboard/common';
import { MessageEntity } from '../message.entity';

/** What every view of a stored message shows, whichever API names its text. */
export class MessageFieldsDto {
  @ApiProperty({ format: 'uuid', description: 'A UUID version 7 assigned by the server: ids sort by the millisecond they were made in' })
  id!: string;

  @ApiProperty({ description: 'The sender: a user id, or the agent id for agent replies' })
  authorId!: string;

  @ApiProperty()
  isAgent!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'createdAt as epoch ms: the value cursors use' })
  timestamp!: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: JsonObject;

  @ApiPropertyOptional({ format: 'uuid', description: 'The client messageId it was sent with' })
  messageId?: string;

  @ApiPropertyOptional()
  thought?: string;

  @ApiPropertyOptional({ type: [String] })
  actions?: string[];

  static fieldsOf(message: MessageEntity): MessageFieldsDto {
    return {
      id: message.id,
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
