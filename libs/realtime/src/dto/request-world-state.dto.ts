import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** `request-world-state`: one room (a session, channel or agent id), or without it every room the socket is in. */
export class RequestWorldStateDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  roomId?: string;
}
