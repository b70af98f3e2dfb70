import { IsDefined, IsString } from 'class-validator';
import { WsFrameDto } from './ws-frame.dto';

/** `status`: how `targetAgent` is doing. */
export class StatusFrameDto extends WsFrameDto {
  @IsDefined()
  @IsString()
  targetAgent!: string;
}
