import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { Injectable } from '@nestjs/common';
import { isForeignKeyViolation, isUniqueViolation } from '@switchboard/persistence';
import { AgentNotFoundError, AppConfig, Clock, ConflictError, EventBus, InvalidTimeoutConfigError, timeoutConfigProblems } from '@switchboard/common';
import { AgentEntity } from './agent.entity';
import { AgentsRepository } from './agents.repository';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';
import { AgentSettingsDto } from './dto/agent-settings.dto';

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly config: AppConfig,
  ) {}

  async create(dto: CreateAgentDto): Promise<AgentEntity> {
    this.assertValidSettings(dto.settings);
    const now = this.clock.now();
    const agent: AgentEntity = {
      id: randomUUID(),
      name: dto.name.trim(),
      status: dto.status ?? 'active',
      settings: dto.settings ?? {},
      runtime: dto.runtime ?? { provider: 'echo' },
      createdAt: now,
      updatedAt: now,
    };
    await this.writeUniquelyNamed(agent.name, () => this.agents.insert(agent));
    return agent;
  }

  list(limit: number, offset: number): Promise<[AgentEntity[], number]> {
    return this.agents.findPage(limit, offset);
  }

  find(id: string): Promise<AgentEntity | null> {
    return this.agents.findById(id);
  }

  /** An agent by id, or by its unique name as /ws clients address it (`targetAgent`). */
  async resolve(idOrName: string): Promise<AgentEntity> {
    const agent = isUUID(idOrName) ? await this.agents.findById(idOrName.toLowerCase()) : await this.agents.findByName(idOrName);
    if (!agent) throw new AgentNotFoundError(`Agent ${idOrName} does not exist`, { agent: idOrName });
    return agent;
  }

  async get(id: string): Promise<AgentEntity> {
    const agent = await this.agents.findById(id);
    if (!agent) throw new AgentNotFoundError(`Agent ${id} does not exist`, { agentId: id });
    return agent;
  }

  async update(id: string, dto: UpdateAgentDto): Promise<AgentEntity> {
    this.assertValidSettings(dto.settings);
    const agent = await this.get(id);
    const previousStatus = agent.status;
    if (dto.name !== undefined) agent.name = dto.name.trim();
    if (dto.status !== undefined) agent.status = dto.status;
    if (dto.settings !== undefined) agent.settings = dto.settings;
    if (dto.runtime !== undefined) agent.runtime = dto.runtime;
    agent.updatedAt = this.clock.now();
    await this.writeUniquelyNamed(agent.name, () => this.agents.update(agent));
    if (agent.status !== previousStatus) this.events.emit('agent.status-changed', { agentId: agent.id, previousStatus, status: agent.status });
    return agent;
  }

  async remove(id: string): Promise<void> {
    let deleted: boolean;
    try {
      deleted = await this.agents.deleteById(id);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      throw new ConflictError(`Agent ${id} still has sessions; end them first`, { agentId: id });
    }
    if (!deleted) throw new AgentNotFoundError(`Agent ${id} does not exist`, { agentId: id });
  }

  /**
   * The agent tier must make a valid config over the global defaults, or every session that
   * relies on it would fail later with an error about fields its client never sent.
   */
  private assertValidSettings(settings: AgentSettingsDto | undefined): void {
    const tier = Object.fromEntries(Object.entries(settings?.timeoutConfig ?? {}).filter(([, value]) => value !== undefined));
    const problems = timeoutConfigProblems({ ...this.config.sessionDefaults, ...tier });
    if (problems.length > 0) {
      throw new InvalidTimeoutConfigError(`settings.timeoutConfig over the global defaults: ${problems.join('; ')}`, { problems, defaults: this.config.sessionDefaults });
    }
  }

  private async writeUniquelyNamed<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError(`An agent named "${name}" already exists`, { name });
    }
  }
}
