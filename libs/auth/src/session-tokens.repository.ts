import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertRow } from '@switchboard/persistence';
import { SessionTokenEntity } from './session-token.entity';

@Injectable()
export class SessionTokensRepository {
  constructor(@InjectRepository(SessionTokenEntity) private readonly tokens: Repository<SessionTokenEntity>) {}

  insert(token: SessionTokenEntity): Promise<unknown> {
    return insertRow(this.tokens, token);
  }

  findByHash(tokenHash: string): Promise<SessionTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  async deleteForSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this.tokens.createQueryBuilder().delete().where('session_id IN (:...sessionIds)', { sessionIds }).execute();
  }
}
