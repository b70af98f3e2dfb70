import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { InvalidPaginationError, LimitQueryDto, QueryNumber, ReportAs } from '@switchboard/common';

/** `limit` as for every list, plus epoch-ms cursors instead of an offset. */
export class MessagesQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ description: 'Epoch ms: only messages older than this (use cursors.before of the previous page)', example: 1732233600000 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  before?: number;

  @ApiPropertyOptional({ description: 'Epoch ms: only messages newer than this (use cursors.after of a page to poll for new ones)', example: 1732233600000 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  after?: number;
}
