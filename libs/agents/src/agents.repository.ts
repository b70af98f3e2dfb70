import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { sql, SqlExecutor, updateRows } from '@switchboard/persistence';
import { AgentEntity } from './agent.entity';

const FIND_BY_ID = sql<{ id: string }>('SELECT * FROM agents WHERE id = :id');

@Injectable()
export class AgentsRepository {
  private readonly agentFromRow = this.executor.rowMapper(AgentEntity);

  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    private readonly executor: SqlExecutor,
  ) {}

  /** Read on every agent turn: one prepared statement. */
  async findById(id: string): Promise<AgentEntity | null> {
    const [row] = await this.executor.query(FIND_BY_ID, { id });
    return row ? this.agentFromRow(row) : null;
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
