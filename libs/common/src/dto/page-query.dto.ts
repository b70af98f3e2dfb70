import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { InvalidPaginationError } from '../errors/error-classes';
import { QueryNumber } from '../validation/query-number.decorator';
import { ReportAs } from '../validation/report-as.decorator';

export const MAX_PAGE_SIZE = 100;

/** What every `limit`/`offset` list answers beside its items. */
export class PageMetaDto {
  @ApiProperty({ description: 'Items matching the filters, over all pages' })
  total!: number;

  @ApiProperty()
  limit!: number;

  @ApiProperty()
  offset!: number;
}

/** How many items a page holds. Out-of-range values are a 400, not a silent clamp. */
export class LimitQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;
}

/** `limit`/`offset` paging for lists. */
export class PageQueryDto extends LimitQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @ReportAs(InvalidPaginationError)
  @IsOptional()
  @QueryNumber()
  @IsInt()
  @Min(0)
  offset: number = 0;
}
