import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LookupCache, ReadCaches, sql, SqlExecutor, updateRows } from '@switchboard/persistence';
import { AgentEntity } from './agent.entity';

const FIND_BY_ID = sql<{ id: string }>('SELECT * FROM agents WHERE id = :id');

/** Agents kept in memory by id, forgotten on every instance when one is updated or deleted. */
const CACHE = { name: 'agents', ttlMs: 10_000, maxEntries: 1_000 } as const;

@Injectable()
export class AgentsRepository {
  private readonly agentFromRow = this.executor.rowMapper(AgentEntity);
  private readonly byId: LookupCache<AgentEntity> = this.caches.cache(CACHE.name, CACHE);

  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    private readonly executor: SqlExecutor,
    private readonly caches: ReadCaches,
  ) {}

  /** Read on every agent turn: kept in memory, else one prepared statement. A copy, which callers may change. */
  async findById(id: string): Promise<AgentEntity | null> {
    const agent = await this.byId.get(id, async () => {
      const [row] = await this.executor.query(FIND_BY_ID, { id });
      return row ? this.agentFromRow(row) : null;
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
