import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { InvalidPaginationError, LimitQueryDto, QueryNumber, ReportAs } from '@switchboard/common';

/** The latest instant a JavaScript Date can hold: a cursor past it names no time at all. */
const MAX_EPOCH_MS = 8_640_000_000_000_000;

/** `limit` as for every list, plus epoch-ms cursors instead of an offset. */
export class MessagesQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'Epoch ms: only messages older than this (use cursors.before of the previous page)', example: 1732233600000, maximum: MAX_EPOCH_MS })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  @Max(MAX_EPOCH_MS)
  before?: number;

  @ApiPropertyOptional({ description: 'Epoch ms: only messages newer than this (use cursors.after of a page to poll for new ones)', example: 1732233600000 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  @Max(MAX_EPOCH_MS)
  after?: number;
}
