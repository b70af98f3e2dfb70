import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsNumber, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SUBSCRIBABLE_EVENTS, SubscribableEvent } from '../ws-client';
import { WsFrameDto } from './ws-frame.dto';

export class ThoughtFilterDto {
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minImportance?: number;
}

export class SubscribeDataDto {
  /** Needed unless the frame asks for the thought stream. */
  @ValidateIf((data: SubscribeDataDto) => data.stream === undefined)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events?: SubscribableEvent[];

  @IsOptional()
  @IsIn(['thoughts'])
  stream?: 'thoughts';

  /** The thought stream of one agent (id or name) rather than of all. */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'agentId must not be blank' })
  agentId?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThoughtFilterDto)
  filter?: ThoughtFilterDto;
}

/** `subscribe`: agent events, or the thought stream. */
export class SubscribeFrameDto extends WsFrameDto {
  @ValidateNested()
  @Type(() => SubscribeDataDto)
  data!: SubscribeDataDto;
}
