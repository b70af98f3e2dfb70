import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, JsonObject } from '@switchboard/common';

export type SessionStatus = 'active' | 'expired';

@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'agent_id', type: 'varchar', length: 36 })
  agentId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId!: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  /** Set to `expired` by the sweep; a session past `expiresAt` counts as expired before that too. */
  @Column({ type: 'varchar', length: 16 })
  status!: SessionStatus;

  @Column({ name: 'timeout_minutes', type: 'integer' })
  timeoutMinutes!: number;

  @Column({ name: 'auto_renew', type: 'boolean' })
  autoRenew!: boolean;

  @Column({ name: 'max_duration_minutes', type: 'integer' })
  maxDurationMinutes!: number;

  @Column({ name: 'warning_threshold_minutes', type: 'integer' })
  warningThresholdMinutes!: number;

  @Column({ type: 'simple-json' })
  metadata!: JsonObject;

  @Column({ name: 'renewal_count', type: 'integer' })
  renewalCount!: number;

  /** The API key that created the session, if one did. */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_activity', type: 'bigint', transformer: epochMillis })
  lastActivity!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis })
  expiresAt!: number;

  @Column({ name: 'expired_at', type: 'bigint', transformer: epochMillis, nullable: true })
  expiredAt!: number | null;

  /** When the expiry warning went out; cleared by every renewal so the next window warns again. */
  @Column({ name: 'warned_at', type: 'bigint', transformer: epochMillis, nullable: true })
  warnedAt!: number | null;
}
