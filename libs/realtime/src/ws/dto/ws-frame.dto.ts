import { Allow } from 'class-validator';

/**
 * What every /ws frame has: the envelope's own fields were checked when the frame was read
 * (parseEnvelope); each message type's DTO adds its `data` and the top-level fields it uses.
 */
export class WsFrameDto {
  @Allow()
  id?: string | number;

  @Allow()
  type!: string;
}
