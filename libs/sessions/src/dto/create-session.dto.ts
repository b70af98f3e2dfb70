import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import {
  InvalidMetadataError,
  InvalidTimeoutConfigError,
  InvalidUuidError,
  IsBoundedJsonObject,
  ReportAs,
  TimeoutConfigDto,
  JsonObject,
  lowerCaseUuid,
} from '@switchboard/common';

export class CreateSessionDto {
  @ApiProperty({ format: 'uuid', description: 'An existing agent' })
  @ReportAs(InvalidUuidError)
  @IsDefined()
  @IsUUID()
  @Transform(({ value }) => lowerCaseUuid(value))
  agentId!: string;

  @ApiProperty({ example: 'user-456', minLength: 1, maxLength: 255, description: 'Who talks to the agent' })
  @IsDefined()
  @IsString()
  @Length(1, 255)
  userId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { platform: 'web' }, description: 'At most 16 KB of JSON, nested at most 5 levels' })
  @ReportAs(InvalidMetadataError)
  @IsOptional()
  @IsBoundedJsonObject()
  metadata?: JsonObject;

  @ApiPropertyOptional({ type: TimeoutConfigDto, description: 'The session tier; merged over the agent\'s settings and the global defaults' })
  @ReportAs(InvalidTimeoutConfigError)
  @IsOptional()
  @ValidateNested()
  @Type(() => TimeoutConfigDto)
  timeoutConfig?: TimeoutConfigDto;
}
