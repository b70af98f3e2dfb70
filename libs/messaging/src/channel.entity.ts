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

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
