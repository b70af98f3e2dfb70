import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { insertRow, sql, SqlExecutor } from '@switchboard/persistence';
import { ApiKeyEntity } from './api-key.entity';

const FIND_ACTIVE_BY_HASH = sql<{ tokenHash: string }>('SELECT * FROM api_keys WHERE token_hash = :tokenHash AND revoked_at IS NULL');

@Injectable()
export class ApiKeysRepository {
  private readonly apiKeyFromRow = this.executor.rowMapper(ApiKeyEntity);

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly executor: SqlExecutor,
  ) {}

  insert(key: ApiKeyEntity): Promise<unknown> {
    return insertRow(this.keys, key);
  }

  /** Every request with an API key starts here: one prepared statement, no query building. */
  async findActiveByHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    const [row] = await this.executor.query(FIND_ACTIVE_BY_HASH, { tokenHash });
    return row ? this.apiKeyFromRow(row) : null;
  }

  findAll(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Keys that still open the door: neither revoked nor past their expiry. */
  countUsable(now: number): Promise<number> {
    return this.keys.count({ where: [{ revokedAt: IsNull(), expiresAt: IsNull() }, { revokedAt: IsNull(), expiresAt: MoreThan(now) }] });
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async touch(id: string, at: number): Promise<void> {
    await this.keys.update({ id }, { lastUsedAt: at });
  }
}
