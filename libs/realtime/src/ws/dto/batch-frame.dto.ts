import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsOptional, IsString, ValidateNested } from 'class-validator';
import { WsFrameDto } from './ws-frame.dto';

export const MAX_BATCH = 50;

export class BatchDataDto {
  /** Each is read as a frame of its own when its turn comes, so one bad message refuses only itself. */
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  messages!: unknown[];
}

/** `batch`: frames run in order; `targetAgent` is the default of those that name none. */
export class BatchFrameDto extends WsFrameDto {
  @IsOptional()
  @IsString()
  targetAgent?: string;

  @ValidateNested()
  @Type(() => BatchDataDto)
  data!: BatchDataDto;
}
