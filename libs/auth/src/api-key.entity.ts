import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';
import { Scope } from './scopes';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** SHA-256 of the token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  /** The first characters of the token, so people can tell their keys apart. */
  @Column({ name: 'token_prefix', type: 'varchar', length: 16 })
  tokenPrefix!: string;

  @Column({ type: 'simple-json' })
  scopes!: Scope[];

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;

  @Column({ name: 'last_used_at', type: 'bigint', transformer: epochMillis, nullable: true })
  lastUsedAt!: number | null;

  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMillis, nullable: true })
  expiresAt!: number | null;

  @Column({ name: 'revoked_at', type: 'bigint', transformer: epochMillis, nullable: true })
  revokedAt!: number | null;
}
