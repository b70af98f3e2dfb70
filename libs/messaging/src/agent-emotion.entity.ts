import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

/** An agent's last expressed emotion, the same for every instance. */
@Entity('agent_emotions')
export class AgentEmotionEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'varchar', length: 36 })
  agentId!: string;

  @Column({ type: 'varchar', length: 32 })
  emotion!: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMillis })
  updatedAt!: number;
}
