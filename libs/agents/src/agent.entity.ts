import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, TimeoutConfig } from '@switchboard/common';

export const AGENT_STATUSES = ['active', 'inactive'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const RUNTIME_PROVIDERS = ['echo', 'openai'] as const;
export type RuntimeProviderName = (typeof RUNTIME_PROVIDERS)[number];

export interface AgentSettings {
  /** The agent tier of the timeout hierarchy. */
  timeoutConfig?: Partial<TimeoutConfig>;
}

export interface AgentRuntime {
  provider: RuntimeProviderName;
  model?: string;
  baseUrl?: string;
}

@Entity('agents')
export class AgentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AgentStatus;

  @Column({ type: 'simple-json' })
  settings!: AgentSettings;

  @Column({ type: 'simple-json' })
  runtime!: AgentRuntime;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt!: number;
}
