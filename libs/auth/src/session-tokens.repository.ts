import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertRow, sql, SqlExecutor } from '@switchboard/persistence';
import { SessionTokenEntity } from './session-token.entity';

const FIND_BY_HASH = sql<{ tokenHash: string }>('SELECT * FROM session_tokens WHERE token_hash = :tokenHash');

@Injectable()
export class SessionTokensRepository {
  private readonly tokenFromRow = this.executor.rowMapper(SessionTokenEntity);

  constructor(
    @InjectRepository(SessionTokenEntity) private readonly tokens: Repository<SessionTokenEntity>,
    private readonly executor: SqlExecutor,
  ) {}

  insert(token: SessionTokenEntity): Promise<unknown> {
    return insertRow(this.tokens, token);
  }

  /** Every request with a session token starts here: one prepared statement, no query building. */
  async findByHash(tokenHash: string): Promise<SessionTokenEntity | null> {
    const [row] = await this.executor.query(FIND_BY_HASH, { tokenHash });
    return row ? this.tokenFromRow(row) : null;
  }

  async deleteIssuedBy(keyId: string): Promise<void> {
    await this.tokens.delete({ issuedBy: keyId });
  }

  async deleteForSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this.tokens.createQueryBuilder().delete().where('session_id IN (:...sessionIds)', { sessionIds }).execute();
  }
}
