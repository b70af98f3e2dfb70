import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto, toIso } from '@switchboard/common';
import { AGENT_STATUSES, AgentEntity, AgentStatus } from '../agent.entity';
import { AgentRuntimeDto } from './agent-runtime.dto';
import { AgentSettingsDto } from './agent-settings.dto';

export class AgentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'support-bot' })
  name!: string;

  @ApiProperty({ enum: AGENT_STATUSES })
  status!: AgentStatus;

  @ApiProperty({ type: AgentSettingsDto })
  settings!: AgentSettingsDto;

  @ApiProperty({ type: AgentRuntimeDto })
  runtime!: AgentRuntimeDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(agent: AgentEntity): AgentDto {
    return {
      id: agent.id,
      name: agent.name,
      status: agent.status,
      settings: agent.settings,
      runtime: agent.runtime,
      createdAt: toIso(agent.createdAt),
      updatedAt: toIso(agent.updatedAt),
    };
  }
}

export class AgentListDto extends PageMetaDto {
  @ApiProperty({ type: [AgentDto] })
  agents!: AgentDto[];
}
