import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { insertRow, LookupCache, ReadCaches, sql, SqlExecutor } from '@switchboard/persistence';
import { ApiKeyEntity } from './api-key.entity';

const FIND_ACTIVE_BY_HASH = sql<{ tokenHash: string }>('SELECT * FROM api_keys WHERE token_hash = :tokenHash AND revoked_at IS NULL');

/** Which keys are kept in memory: revoking any forgets them all, on every instance. */
const CACHE = { name: 'api-keys', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class ApiKeysRepository {
  private readonly apiKeyFromRow = this.executor.rowMapper(ApiKeyEntity);
  private readonly byHash: LookupCache<ApiKeyEntity> = this.caches.cache(CACHE.name, CACHE);

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly executor: SqlExecutor,
    private readonly caches: ReadCaches,
  ) {}

  insert(key: ApiKeyEntity): Promise<unknown> {
    return insertRow(this.keys, key);
  }

  /** Every request with an API key starts here: kept in memory, else one prepared statement. The key is the one kept: see `markUsed`. */
  findActiveByHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    return this.byHash.get(tokenHash, async () => {
      const [row] = await this.executor.query(FIND_ACTIVE_BY_HASH, { tokenHash });
      return row ? this.apiKeyFromRow(row) : null;
    });
  }

  findAll(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Keys that still open the door: neither revoked nor past their expiry. */
  countUsable(now: number): Promise<number> {
    return this.keys.count({ where: [{ revokedAt: IsNull(), expiresAt: IsNull() }, { revokedAt: IsNull(), expiresAt: MoreThan(now) }] });
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.caches.writing(CACHE.name, undefined, () => this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: at }));
    return (result.affected ?? 0) > 0;
  }

  /** Records a use on the key as read (the one kept in memory, so the next request sees it) and in the store. */
  async markUsed(key: ApiKeyEntity, at: number): Promise<void> {
    key.lastUsedAt = at;
    await this.keys.update({ id: key.id }, { lastUsedAt: at });
  }
}
