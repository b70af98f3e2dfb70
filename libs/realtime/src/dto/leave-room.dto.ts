import { IsOptional, IsString } from 'class-validator';

/** `leave`: the room as it was joined, by room, channel, session or agent id. */
export class LeaveRoomDto {
  @IsOptional()
  @IsString()
  roomId?: string;

  @IsOptional()
  @IsString()
  channelId?: string;

  @IsOptional()
  @IsString()
  sessionId?: string;
}
