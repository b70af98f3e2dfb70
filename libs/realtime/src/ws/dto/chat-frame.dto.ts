import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { InvalidContentError, ReportAs } from '@switchboard/common';
import { MESSAGE_MAX_LENGTH } from '@switchboard/messaging';
import { WsFrameDto } from './ws-frame.dto';

export class ChatDataDto {
  @ReportAs(InvalidContentError)
  @IsDefined()
  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
  @Matches(/\S/, { message: 'message must not be blank' })
  message!: string;

  /** A session or channel id: continue that conversation. */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'conversationId must not be blank' })
  conversationId?: string;

  /** The client's id of the message: a resend is stored once. */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'messageId must not be blank' })
  messageId?: string;
}

/** `chat`: say something to `targetAgent`, or into `data.conversationId`. */
export class ChatFrameDto extends WsFrameDto {
  @IsOptional()
  @IsString()
  targetAgent?: string;

  @ValidateNested()
  @Type(() => ChatDataDto)
  data!: ChatDataDto;
}
