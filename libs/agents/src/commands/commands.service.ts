import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, JsonObject, NotFoundError } from '@switchboard/common';
import { AgentEntity } from '../agent.entity';
import { AgentRuntimeError } from '../runtime/agent-runtime';
import { AgentRuntimeService } from '../runtime/agent-runtime.service';
import { CommandEntity } from './command.entity';
import { CommandsRepository } from './commands.repository';

/**
 * Runs an instruction through the agent's runtime: queued → running → completed | failed. Every
 * state is stored before it is reported, so what a client was told can be read back.
 */
@Injectable()
export class CommandsService {
  constructor(
    private readonly commands: CommandsRepository,
    private readonly runtime: AgentRuntimeService,
    private readonly clock: Clock,
  ) {}

  async execute(agent: AgentEntity, instruction: string, parameters: JsonObject, requestedBy: string, onProgress: (command: CommandEntity) => void): Promise<CommandEntity> {
    const command: CommandEntity = {
      id: randomUUID(),
      agentId: agent.id,
      instruction,
      parameters,
      status: 'queued',
      result: null,
      error: null,
      requestedBy,
      createdAt: this.clock.now(),
      completedAt: null,
      executionTimeMs: null,
    };
    await this.commands.insert(command);
    onProgress({ ...command });
    await this.transition(command, { status: 'running' });
    onProgress({ ...command });
    const started = performance.now();
    try {
      const result = await this.run(agent, instruction, parameters);
      await this.transition(command, { status: 'completed', result, ...this.finished(started) });
    } catch (error) {
      const message = error instanceof AgentRuntimeError ? error.message : 'The command failed';
      await this.transition(command, { status: 'failed', error: message, ...this.finished(started) });
    }
    onProgress({ ...command });
    return command;
  }

  async getForAgent(agentId: string, id: string): Promise<CommandEntity> {
    const command = await this.commands.findById(id);
    if (!command || command.agentId !== agentId) throw new NotFoundError(`Agent ${agentId} has no command ${id}`, { agentId, commandId: id });
    return command;
  }

  listForAgent(agentId: string, limit: number, offset: number): Promise<[CommandEntity[], number]> {
    return this.commands.findPageForAgent(agentId, limit, offset);
  }

  private async run(agent: AgentEntity, instruction: string, parameters: JsonObject): Promise<JsonObject> {
    const message = Object.keys(parameters).length > 0 ? `${instruction}\nParameters: ${JSON.stringify(parameters)}` : instruction;
    let output = '';
    let details: JsonObject = {};
    for await (const part of this.runtime.reply({ agent, history: async () => [], message })) {
      if (part.type === 'chunk') output += part.text;
      else details = { thought: part.thought ?? null, actions: part.actions ?? [] };
    }
    return { output, ...details };
  }

  private finished(started: number): Pick<CommandEntity, 'completedAt' | 'executionTimeMs'> {
    return { completedAt: this.clock.now(), executionTimeMs: Math.round(performance.now() - started) };
  }

  private async transition(command: CommandEntity, changes: Partial<CommandEntity>): Promise<void> {
    await this.commands.update(command.id, changes);
    Object.assign(command, changes);
  }
}
