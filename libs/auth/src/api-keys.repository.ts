import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { epochMillisOrNull } from '@switchboard/common';
import { insertRow, LookupCache, queryRows, ReadCaches } from '@switchboard/persistence';
import { ApiKeyEntity } from './api-key.entity';
import { Scope } from './scopes';

type ApiKeyRow = Record<'id' | 'name' | 'token_hash' | 'token_prefix' | 'scopes', string> &
  Record<'created_at', string | number> &
  Record<'last_used_at' | 'expires_at' | 'revoked_at', string | number | null>;

function apiKeyFromRow(row: ApiKeyRow): ApiKeyEntity {
  return {
    id: row.id,
    name: row.name,
    tokenHash: row.token_hash,
    tokenPrefix: row.token_prefix,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: Number(row.created_at),
    lastUsedAt: epochMillisOrNull(row.last_used_at),
    expiresAt: epochMillisOrNull(row.expires_at),
    revokedAt: epochMillisOrNull(row.revoked_at),
  };
}

/** Which keys are kept in memory: revoking any forgets them all, on every instance. */
const CACHE = { name: 'api-keys', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class ApiKeysRepository {
  private readonly byHash: LookupCache<ApiKeyEntity>;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly caches: ReadCaches,
  ) {
    this.byHash = caches.cache(CACHE.name, CACHE);
  }

  insert(key: ApiKeyEntity): Promise<unknown> {
    return insertRow(this.keys, key);
  }

  /** Every request with an API key starts here: kept in memory, else one prepared statement. The key is the one kept: see `markUsed`. */
  findActiveByHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    return this.byHash.get(tokenHash, async () => {
      const [row] = await queryRows<ApiKeyRow>(this.keys.manager.connection, 'SELECT * FROM api_keys WHERE token_hash = ? AND revoked_at IS NULL', [tokenHash]);
      return row ? apiKeyFromRow(row) : null;
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
