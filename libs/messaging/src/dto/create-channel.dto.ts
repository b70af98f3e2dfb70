import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { InvalidMetadataError, IsBoundedJsonObject, JsonObject, ReportAs } from '@switchboard/common';

export class ParticipantDto {
  @ApiProperty({ example: 'user-456', description: 'A user id, or an agent id when kind is agent' })
  @IsString()
  @Length(1, 255)
  entityId!: string;

  @ApiProperty({ enum: ['user', 'agent'] })
  @IsIn(['user', 'agent'])
  kind!: 'user' | 'agent';
}

export class CreateChannelDto {
  @ApiPropertyOptional({ example: 'incident-42' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  name?: string;

  @ApiPropertyOptional({ type: [ParticipantDto], description: 'Agents listed here answer user messages, one at a time, in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants?: ParticipantDto[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @ReportAs(InvalidMetadataError)
  @IsOptional()
  @IsBoundedJsonObject()
  metadata?: JsonObject;
}
