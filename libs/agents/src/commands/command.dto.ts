import { ApiProperty } from '@nestjs/swagger';
import { JsonObject, PageMetaDto, toIso, toIsoOrNull } from '@switchboard/common';
import { COMMAND_STATUSES, CommandEntity, CommandStatus } from './command.entity';
import { COMMAND_PRIORITIES, CommandPriority } from './command-priority';

export class CommandDto {
  @ApiProperty({ format: 'uuid' })
  commandId!: string;

  @ApiProperty({ format: 'uuid' })
  agentId!: string;

  @ApiProperty({ example: 'analyze project structure' })
  instruction!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  parameters!: JsonObject;

  @ApiProperty({ enum: COMMAND_STATUSES })
  status!: CommandStatus;

  @ApiProperty({ enum: COMMAND_PRIORITIES, description: 'An agent runs its waiting commands high before normal before low' })
  priority!: CommandPriority;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result!: JsonObject | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Milliseconds from running to its end' })
  executionTime!: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  completedAt!: string | null;

  static from(command: CommandEntity): CommandDto {
    return {
      commandId: command.id,
      agentId: command.agentId,
      instruction: command.instruction,
      parameters: command.parameters,
      status: command.status,
      priority: command.priority,
      result: command.result,
      error: command.error,
      executionTime: command.executionTimeMs,
      createdAt: toIso(command.createdAt),
      completedAt: toIsoOrNull(command.completedAt),
    };
  }
}

export class CommandListDto extends PageMetaDto {
  @ApiProperty({ type: [CommandDto] })
  commands!: CommandDto[];
}
