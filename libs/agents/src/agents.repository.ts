import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LookupCache, queryRows, ReadCaches, updateRows } from '@switchboard/persistence';
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

/** Agents kept in memory by id, forgotten on every instance when one is updated or deleted. */
const CACHE = { name: 'agents', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class AgentsRepository {
  private readonly byId: LookupCache<AgentEntity>;

  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    private readonly caches: ReadCaches,
  ) {
    this.byId = caches.cache(CACHE.name, CACHE);
  }

  /** Read on every agent turn: kept in memory, else one prepared statement. A copy, which callers may change. */
  async findById(id: string): Promise<AgentEntity | null> {
    const agent = await this.byId.get(id, async () => {
      const [row] = await queryRows<AgentRow>(this.agents.manager.connection, 'SELECT * FROM agents WHERE id = ?', [id]);
      return row ? agentFromRow(row) : null;
    });
    return agent && { ...agent };
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
    await this.caches.writing(CACHE.name, id, () => updateRows<AgentEntity>(this.agents, { id }, columns));
  }

  async deleteById(id: string): Promise<boolean> {
    const result = await this.caches.writing(CACHE.name, id, () => this.agents.delete({ id }));
    return (result.affected ?? 0) > 0;
  }
}
