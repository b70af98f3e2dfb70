import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

/** One handoff of a conversation between agents (seed 003's `agent_handoff`), written with the participant swap. */
@Entity('agent_handoffs')
export class AgentHandoffEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  @Column({ name: 'from_agent_id', type: 'varchar', length: 36 })
  fromAgentId!: string;

  @Column({ name: 'to_agent_id', type: 'varchar', length: 36 })
  toAgentId!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The entity that asked for it: the API key, or a session's user. */
  @Column({ name: 'handed_off_by', type: 'varchar', length: 255 })
  handedOffBy!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
