import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { queryRows, updateRows } from '@switchboard/persistence';
import { AgentEntity } from './agent.entity';

type AgentRow = Record<'id' | 'name' | 'status' | 'settings' | 'runtime', string> & Record<'created_at' | 'updated_at', string | number>;

function agentFromRow(row: AgentRow): AgentEntity {
  return {
    id: row.id,
    name: row.name,
    status: row.status as AgentEntity['status'],
    settings: JSON.parse(row.settings) as AgentEntity['settings'],
    runtime: JSON.parse(row.runtime) as AgentEntity['runtime'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

@Injectable()
export class AgentsRepository {
  constructor(@InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>) {}

  /** Read on every agent turn: one prepared statement. */
  async findById(id: string): Promise<AgentEntity | null> {
    const [row] = await queryRows<AgentRow>(this.agents.manager.connection, 'SELECT * FROM agents WHERE id = ?', [id]);
    return row ? agentFromRow(row) : null;
  }

  findByName(name: string): Promise<AgentEntity | null> {
    return this.agents.findOneBy({ name });
  }

  findPage(limit: number, offset: number): Promise<[AgentEntity[], number]> {
    return this.agents.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  insert(agent: AgentEntity): Promise<unknown> {
    return this.agents.insert(agent);
  }

  /** A plain UPDATE: `save` would open a transaction, which SQLite's one shared connection cannot isolate. */
  async update(agent: AgentEntity): Promise<void> {
    const { id, ...columns } = agent;
    await updateRows<AgentEntity>(this.agents, { id }, columns);
  }

  async deleteById(id: string): Promise<boolean> {
    const result = await this.agents.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
