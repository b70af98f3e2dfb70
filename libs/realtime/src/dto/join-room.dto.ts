import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `join` / ROOM_JOINING: a room is a channel; a session id names its session's channel. */
export class JoinRoomDto {
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @IsOptional()
  @IsUUID()
  channelId?: string;

  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  entityId?: string;

  /** Resume: replay what the room got after this message. */
  @IsOptional()
  @IsUUID()
  lastMessageId?: string;

  /** Resume: replay what the room got after this timestamp (epoch ms, or ISO 8601 as `messageBroadcast.timestamp` carries it). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(value) : value))
  @IsInt()
  @Min(0)
  lastTimestamp?: number;
}
