import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

export type ParticipantKind = 'user' | 'agent';

@Entity('channel_participants')
export class ParticipantEntity {
  @PrimaryColumn({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId!: string;

  @PrimaryColumn({ name: 'entity_id', type: 'varchar', length: 255 })
  entityId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ParticipantKind;

  @Column({ name: 'joined_at', type: 'bigint', transformer: epochMillis })
  joinedAt!: number;
}
