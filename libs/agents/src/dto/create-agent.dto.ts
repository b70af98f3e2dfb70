import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { AGENT_STATUSES, AgentStatus } from '../agent.entity';
import { AgentRuntimeDto } from './agent-runtime.dto';
import { AgentSettingsDto } from './agent-settings.dto';

export class CreateAgentDto {
  @ApiProperty({ example: 'support-bot', minLength: 1, maxLength: 100, description: 'Unique name' })
  @IsDefined()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ enum: AGENT_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  @ApiPropertyOptional({ type: AgentSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgentSettingsDto)
  settings?: AgentSettingsDto;

  @ApiPropertyOptional({ type: AgentRuntimeDto, description: 'Defaults to { provider: "echo" }' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgentRuntimeDto)
  runtime?: AgentRuntimeDto;
}
