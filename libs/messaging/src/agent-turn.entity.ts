import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

/** A user message still to be answered by its channel's agents; gone once they have. */
@Entity('agent_turns')
export class AgentTurnEntity {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 36 })
  messageId!: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId!: string | null;

  @Column({ name: 'message_created_at', type: 'bigint', transformer: epochMillis })
  messageCreatedAt!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner!: string | null;

  @Column({ name: 'lease_until', type: 'bigint', transformer: epochMillis, nullable: true })
  leaseUntil!: number | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;
}
