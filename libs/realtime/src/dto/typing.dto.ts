import { IsBoolean, IsDefined, IsOptional, IsUUID } from 'class-validator';

export class TypingDto {
  @IsDefined()
  @IsUUID()
  roomId!: string;

  @IsOptional()
  @IsBoolean()
  isTyping?: boolean;
}
