import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, JsonObject } from '@switchboard/common';
import type { CommandPriority } from './command-priority';

export const COMMAND_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** An instruction given to an agent over /ws, kept so it can be read back over REST. */
@Entity('commands')
export class CommandEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'agent_id', type: 'varchar', length: 36 })
  agentId!: string;

  @Column({ type: 'text' })
  instruction!: string;

  @Column({ type: 'simple-json' })
  parameters!: JsonObject;

  @Column({ type: 'varchar', length: 16 })
  status!: CommandStatus;

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority!: CommandPriority;

  @Column({ type: 'simple-json', nullable: true })
  result!: JsonObject | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 255 })
  requestedBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'completed_at', type: 'bigint', transformer: epochMillis, nullable: true })
  completedAt!: number | null;

  @Column({ name: 'execution_time_ms', type: 'integer', nullable: true })
  executionTimeMs!: number | null;
}
