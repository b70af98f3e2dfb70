import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertRow, isUniqueViolation } from '@switchboard/persistence';
import { ServerIdentityEntity } from './server-identity.entity';

const SLOT = 'deployment';

@Injectable()
export class ServerIdentityRepository {
  constructor(@InjectRepository(ServerIdentityEntity) private readonly identities: Repository<ServerIdentityEntity>) {}

  /** The stored id, or `candidate` stored as it; when instances start together, the first insert wins for all. */
  async findOrCreate(candidate: string, now: number): Promise<string> {
    const stored = await this.identities.findOneBy({ slot: SLOT });
    if (stored) return stored.serverId;
    try {
      await insertRow(this.identities, { slot: SLOT, serverId: candidate, createdAt: now });
      return candidate;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.identities.findOneByOrFail({ slot: SLOT });
      return winner.serverId;
    }
  }
}
