import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

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

  /** Resume: replay what the room got after this epoch-ms timestamp. */
  @IsOptional()
  @IsInt()
  @Min(0)
  lastTimestamp?: number;
}
