import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { InvalidPaginationError, MAX_PAGE_SIZE, ReportAs } from '@switchboard/common';

export class MessagesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'Epoch ms: only messages older than this (use cursors.before of the previous page)', example: 1732233600000 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  before?: number;

  @ApiPropertyOptional({ description: 'Epoch ms: only messages newer than this (use cursors.after of a page to poll for new ones)', example: 1732233600000 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}
