import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { WsFrameDto } from './ws-frame.dto';

export class JoinConversationDataDto {
  @IsDefined()
  @IsString()
  @Length(1, 64)
  @Matches(/\S/, { message: 'conversationId must not be blank' })
  conversationId!: string;

  /** Agents (ids or names) that join the conversation too. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  agents?: string[];
}

/** `join_conversation`: follow a conversation, adding agents to it. */
export class JoinConversationFrameDto extends WsFrameDto {
  @ValidateNested()
  @Type(() => JoinConversationDataDto)
  data!: JoinConversationDataDto;
}
