import { Type } from 'class-transformer';
import { IsObject, IsArray, IsDefined, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested, ArrayMaxSize } from 'class-validator';
import { InvalidContentError, InvalidMetadataError, IsBoundedJsonObject, JsonObject, ReportAs } from '@switchboard/common';
import { MESSAGE_MAX_LENGTH } from '@switchboard/messaging';
import { AttachmentDto } from '@switchboard/sessions';

/** A message sent over the socket, in either client style, normalised. */
export class SocketSendDto {
  @IsDefined()
  @IsUUID()
  roomId!: string;

  @ReportAs(InvalidContentError)
  @IsDefined()
  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  senderId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  senderName?: string;

  @IsOptional()
  @IsUUID()
  messageId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 50)
  source?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  @ReportAs(InvalidMetadataError)
  @IsOptional()
  @IsBoundedJsonObject()
  metadata?: JsonObject;
}
