import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { WsFrameDto } from './ws-frame.dto';

export class TypingDataDto {
  @IsOptional()
  @IsString()
  conversationId?: string;
}

/** `typing_start` / `typing_stop`: the seed puts conversationId at the top level; `data` also has it. */
export class TypingFrameDto extends WsFrameDto {
  @IsOptional()
  @IsString()
  conversationId?: string;

  @ValidateNested()
  @Type(() => TypingDataDto)
  data!: TypingDataDto;
}
