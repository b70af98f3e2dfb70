import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Transform } from 'class-transformer';
import { InvalidUuidError, lowerCaseUuid, PageQueryDto, ReportAs } from '@switchboard/common';

export const SESSION_STATUS_FILTERS = ['active', 'expired', 'all'] as const;
export type SessionStatusFilter = (typeof SESSION_STATUS_FILTERS)[number];

export class ListSessionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ReportAs(InvalidUuidError)
  @IsOptional()
  @IsUUID()
  @Transform(({ value }) => lowerCaseUuid(value))
  agentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  userId?: string;

  @ApiPropertyOptional({ enum: SESSION_STATUS_FILTERS, default: 'active' })
  @IsOptional()
  @IsIn(SESSION_STATUS_FILTERS)
  status: SessionStatusFilter = 'active';
}
