import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { InvalidContentError, InvalidMetadataError, IsBoundedJsonObject, JsonObject, ReportAs } from '@switchboard/common';
import { RESPONSE_MODES, ResponseMode } from '../response-mode';
import { MESSAGE_MAX_LENGTH } from '../message-limits';

export class ResponseModeDto {
  @ApiPropertyOptional({ enum: RESPONSE_MODES, default: 'websocket', description: 'websocket: answer at once, reply via messageBroadcast; sync/http: wait and include agentResponse; stream/sse: Server-Sent Events' })
  @IsOptional()
  @IsIn(RESPONSE_MODES)
  mode?: ResponseMode;

  @ApiPropertyOptional({ enum: RESPONSE_MODES, description: 'The newer name for `mode`; wins when both are given' })
  @IsOptional()
  @IsIn(RESPONSE_MODES)
  transport?: ResponseMode;
}

export class SendChannelMessageDto extends ResponseModeDto {
  @ApiProperty({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH, example: 'Hello' })
  @ReportAs(InvalidContentError)
  @IsDefined()
  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @ApiPropertyOptional({ example: 'user-456', description: 'Who sends it: the caller itself (its API key id, the default); only an admin key may name anyone else' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  entityId?: string;

  @ApiPropertyOptional({ example: 'Ada' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  senderName?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @ReportAs(InvalidMetadataError)
  @IsOptional()
  @IsBoundedJsonObject()
  metadata?: JsonObject;

  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen id; a retry with the same id stores nothing new' })
  @IsOptional()
  @IsUUID()
  messageId?: string;
}
