import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LookupCache, queryRows, ReadCaches, writeRows } from '@switchboard/persistence';
import { AgentEmotionEntity } from './agent-emotion.entity';

/** An agent's emotion is read with every reply and changes far less often. */
const CACHE = { name: 'agent-emotions', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class AgentEmotionsRepository {
  private readonly byAgent: LookupCache<string>;

  constructor(
    @InjectRepository(AgentEmotionEntity) private readonly emotions: Repository<AgentEmotionEntity>,
    private readonly caches: ReadCaches,
  ) {
    this.byAgent = caches.cache(CACHE.name, CACHE);
  }

  find(agentId: string): Promise<string | null> {
    return this.byAgent.get(agentId, async () => {
      const [row] = await queryRows<{ emotion: string }>(this.emotions.manager.connection, 'SELECT emotion FROM agent_emotions WHERE agent_id = ?', [agentId]);
      return row?.emotion ?? null;
    });
  }

  async save(agentId: string, emotion: string, now: number): Promise<void> {
    await this.caches.writing(CACHE.name, agentId, () =>
      writeRows(
        this.emotions.manager.connection,
        `INSERT INTO agent_emotions (agent_id, emotion, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET emotion = excluded.emotion, updated_at = excluded.updated_at`,
        [agentId, emotion, now],
      ),
    );
  }
}
