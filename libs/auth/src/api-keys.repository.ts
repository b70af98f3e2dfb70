import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { insertRow } from '@switchboard/persistence';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  insert(key: ApiKeyEntity): Promise<unknown> {
    return insertRow(this.keys, key);
  }

  findActiveByHash(tokenHash: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy({ tokenHash, revokedAt: IsNull() });
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
