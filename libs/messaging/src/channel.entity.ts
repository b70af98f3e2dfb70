import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis, JsonObject } from '@switchboard/common';

export type ChannelType = 'session' | 'group';

@Entity('channels')
export class ChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 16 })
  type!: ChannelType;

  @Column({ type: 'simple-json' })
  metadata!: JsonObject;

  /** The API key that created it (a session's channel: the session's key); null for SWITCHBOARD_ADMIN_TOKEN and rows from before owners. */
  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
