import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { queryRows, writeRows } from '@switchboard/persistence';
import { AgentEmotionEntity } from './agent-emotion.entity';

@Injectable()
export class AgentEmotionsRepository {
  constructor(@InjectRepository(AgentEmotionEntity) private readonly emotions: Repository<AgentEmotionEntity>) {}

  async find(agentId: string): Promise<string | null> {
    const [row] = await queryRows<{ emotion: string }>(this.emotions.manager.connection, 'SELECT emotion FROM agent_emotions WHERE agent_id = ?', [agentId]);
    return row?.emotion ?? null;
  }

  async save(agentId: string, emotion: string, now: number): Promise<void> {
    await writeRows(
      this.emotions.manager.connection,
      `INSERT INTO agent_emotions (agent_id, emotion, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (agent_id) DO UPDATE SET emotion = excluded.emotion, updated_at = excluded.updated_at`,
      [agentId, emotion, now],
    );
  }
}
