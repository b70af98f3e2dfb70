import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from '@switchboard/common';

/** A token valid for one session; deleted with the session (ON DELETE CASCADE) or when it expires. */
@Entity('session_tokens')
export class SessionTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  /** The API key that created the session; revoking it revokes the token. Null for SWITCHBOARD_ADMIN_TOKEN. */
  @Column({ name: 'issued_by', type: 'varchar', length: 36, nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMillis })
  createdAt!: number;
}
