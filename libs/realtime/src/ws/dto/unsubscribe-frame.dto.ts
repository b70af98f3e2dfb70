import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { SUBSCRIBABLE_EVENTS, SubscribableEvent } from '../ws-client';
import { WsFrameDto } from './ws-frame.dto';

export class UnsubscribeDataDto {
  /** Needed unless the frame leaves the thought stream. */
  @ValidateIf((data: UnsubscribeDataDto) => data.stream !== 'thoughts')
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SUBSCRIBABLE_EVENTS, { each: true })
  events?: SubscribableEvent[];

  @IsOptional()
  @IsString()
  stream?: string;
}

/** `unsubscribe`: stop agent events, or the thought stream. */
export class UnsubscribeFrameDto extends WsFrameDto {
  @ValidateNested()
  @Type(() => UnsubscribeDataDto)
  data!: UnsubscribeDataDto;
}
