import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import type { JsonObject } from '@switchboard/common';
import { WS_PRIORITIES, WsPriority } from '../ws-envelope';
import { WsFrameDto } from './ws-frame.dto';

export class CommandDataDto {
  @IsDefined()
  @IsString()
  @Length(1, 10_000)
  @Matches(/\S/, { message: 'instruction must not be blank' })
  instruction!: string;

  @IsOptional()
  @IsObject()
  parameters?: JsonObject;
}

/** `command`: run an instruction on `targetAgent`, queued by `priority`. */
export class CommandFrameDto extends WsFrameDto {
  @IsDefined()
  @IsString()
  targetAgent!: string;

  @IsOptional()
  @IsIn(WS_PRIORITIES)
  priority?: WsPriority;

  @ValidateNested()
  @Type(() => CommandDataDto)
  data!: CommandDataDto;
}
