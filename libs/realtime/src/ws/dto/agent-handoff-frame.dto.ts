import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { WsFrameDto } from './ws-frame.dto';

export class AgentHandoffDataDto {
  @IsDefined()
  @IsString()
  @Length(1, 64)
  @Matches(/\S/, { message: 'conversationId must not be blank' })
  conversationId!: string;

  /** The agent (id or name) that leaves the conversation. */
  @IsDefined()
  @IsString()
  @Length(1, 255)
  @Matches(/\S/, { message: 'fromAgent must not be blank' })
  fromAgent!: string;

  /** The agent (id or name) that takes it over. */
  @IsDefined()
  @IsString()
  @Length(1, 255)
  @Matches(/\S/, { message: 'toAgent must not be blank' })
  toAgent!: string;

  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}

/** `agent_handoff`: one agent hands a conversation to another. */
export class AgentHandoffFrameDto extends WsFrameDto {
  @ValidateNested()
  @Type(() => AgentHandoffDataDto)
  data!: AgentHandoffDataDto;
}
