import { IsBoolean, IsDefined, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsBoundedJsonObject, JsonObject } from '@switchboard/common';

export const CONTROL_ACTIONS = ['enable_input', 'disable_input'] as const;

/** The typed envelope's ACK (4), THINKING (5) and CONTROL (6) payloads, as a client sends them. */
export class ClientSignalDto {
  @IsDefined()
  @IsString()
  @Length(1, 64)
  roomId!: string;

  /** ACK: the message acknowledged. */
  @IsOptional()
  @IsUUID()
  messageId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  entityId?: string;

  /** THINKING: false when the thinking is over. */
  @IsOptional()
  @IsBoolean()
  thinking?: boolean;

  /** CONTROL: what the room's clients should do with their input. */
  @IsOptional()
  @IsIn(CONTROL_ACTIONS)
  action?: (typeof CONTROL_ACTIONS)[number];

  /** Passed on as given: what else the client wants the room to know. */
  @IsOptional()
  @IsBoundedJsonObject()
  data?: JsonObject;
}
