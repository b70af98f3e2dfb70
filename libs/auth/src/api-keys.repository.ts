import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { epochMillisOrNull } from '@switchboard/common';
import { insertRow, queryRows } from '@switchboard/persistence';
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

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  insert(key: ApiKeyEntity): Promise<unknown> {
    return insertRow(this.keys, key);
  }

  /** Every request with an API key starts here: one prepared statement, no query building. */
  async findActiveByHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    const [row] = await queryRows<ApiKeyRow>(this.keys.manager.connection, 'SELECT * FROM api_keys WHERE token_hash = ? AND revoked_at IS NULL', [tokenHash]);
    return row ? apiKeyFromRow(row) : null;
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
