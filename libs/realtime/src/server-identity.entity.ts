import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

/** The deployment's one identity row (slot `deployment`). */
@Entity('server_identity')
export class ServerIdentityEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  slot!: string;

  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
