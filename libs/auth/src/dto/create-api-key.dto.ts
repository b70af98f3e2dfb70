import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsDefined, IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Scope, SCOPES } from '../scopes';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'chat-frontend', minLength: 1, maxLength: 100 })
  @IsDefined()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['sessions:create', 'sessions:read', 'sessions:write'] })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(SCOPES, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'After this instant the key is refused' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
