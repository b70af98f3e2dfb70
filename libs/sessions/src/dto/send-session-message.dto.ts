import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsDefined, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { InvalidContentError, InvalidMetadataError, IsBoundedJsonObject, JsonObject, ReportAs } from '@switchboard/common';
import { MESSAGE_MAX_LENGTH, ResponseModeDto } from '@switchboard/messaging';

export class AttachmentDto {
  @ApiProperty({ example: 'image' })
  @IsString()
  @Length(1, 100)
  type!: string;

  @ApiProperty({ example: 'https://files.example.com/cat.png' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  url!: string;

  @ApiPropertyOptional({ example: 'cat.png' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;
}

export class SendSessionMessageDto extends ResponseModeDto {
  @ApiProperty({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH, example: 'Hello, how can I help you today?' })
  @ReportAs(InvalidContentError)
  @IsDefined()
  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
  @Matches(/\S/, { message: 'content must not be blank' })
  content!: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'At most 16 KB of JSON, nested at most 5 levels' })
  @ReportAs(InvalidMetadataError)
  @IsOptional()
  @IsBoundedJsonObject()
  metadata?: JsonObject;

  @ApiPropertyOptional({ format: 'uuid', description: 'Client-chosen id: a retry with the same id in the same session stores nothing new and answers with the stored message' })
  @IsOptional()
  @IsUUID()
  messageId?: string;
}
