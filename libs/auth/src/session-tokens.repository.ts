import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertRow, queryRows } from '@switchboard/persistence';
import { SessionTokenEntity } from './session-token.entity';

@Injectable()
export class SessionTokensRepository {
  constructor(@InjectRepository(SessionTokenEntity) private readonly tokens: Repository<SessionTokenEntity>) {}

  insert(token: SessionTokenEntity): Promise<unknown> {
    return insertRow(this.tokens, token);
  }

  /** Every request with a session token starts here: one prepared statement, no query building. */
  async findByHash(tokenHash: string): Promise<SessionTokenEntity | null> {
    const [row] = await queryRows<{ sessionId: string; issuedBy: string | null; createdAt: string | number }>(
      this.tokens.manager.connection,
      'SELECT session_id AS "sessionId", issued_by AS "issuedBy", created_at AS "createdAt" FROM session_tokens WHERE token_hash = ?',
      [tokenHash],
    );
    return row ? { tokenHash, sessionId: row.sessionId, issuedBy: row.issuedBy, createdAt: Number(row.createdAt) } : null;
  }

  async deleteIssuedBy(keyId: string): Promise<void> {
    await this.tokens.delete({ issuedBy: keyId });
  }

  async deleteForSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this.tokens.createQueryBuilder().delete().where('session_id IN (:...sessionIds)', { sessionIds }).execute();
  }
}
