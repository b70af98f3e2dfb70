import { Injectable } from '@nestjs/common';
import { LookupCache, ReadCaches, sql, SqlExecutor } from '@switchboard/persistence';

const FIND = sql<{ agentId: string }, { emotion: string }>('SELECT emotion FROM agent_emotions WHERE agent_id = :agentId');

const SAVE = sql<{ agentId: string; emotion: string; now: number }>(
  `INSERT INTO agent_emotions (agent_id, emotion, updated_at) VALUES (:agentId, :emotion, :now)
   ON CONFLICT (agent_id) DO UPDATE SET emotion = excluded.emotion, updated_at = excluded.updated_at`,
);

/** An agent's emotion is read with every reply and changes far less often. */
const CACHE = { name: 'agent-emotions', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class AgentEmotionsRepository {
  private readonly byAgent: LookupCache<string> = this.caches.cache(CACHE.name, CACHE);

  constructor(
    private readonly executor: SqlExecutor,
    private readonly caches: ReadCaches,
  ) {}

  find(agentId: string): Promise<string | null> {
    return this.byAgent.get(agentId, async () => {
      const [row] = await this.executor.query(FIND, { agentId });
      return row?.emotion ?? null;
    });
  }

  async save(agentId: string, emotion: string, now: number): Promise<void> {
    await this.caches.writing(CACHE.name, agentId, () => this.executor.write(SAVE, { agentId, emotion, now }));
  }
}
