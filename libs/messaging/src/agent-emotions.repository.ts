import { Injectable } from '@nestjs/common';
import { sql, SqlExecutor } from '@switchboard/persistence';

const FIND = sql<{ agentId: string }, { emotion: string }>('SELECT emotion FROM agent_emotions WHERE agent_id = :agentId');

const SAVE = sql<{ agentId: string; emotion: string; now: number }>(
  `INSERT INTO agent_emotions (agent_id, emotion, updated_at) VALUES (:agentId, :emotion, :now)
   ON CONFLICT (agent_id) DO UPDATE SET emotion = excluded.emotion, updated_at = excluded.updated_at`,
);

@Injectable()
export class AgentEmotionsRepository {
  constructor(private readonly executor: SqlExecutor) {}

  async find(agentId: string): Promise<string | null> {
    const [row] = await this.executor.query(FIND, { agentId });
    return row?.emotion ?? null;
  }

  async save(agentId: string, emotion: string, now: number): Promise<void> {
    await this.executor.write(SAVE, { agentId, emotion, now });
  }
}
