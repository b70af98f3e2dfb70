import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, JsonObject, NotFoundError } from '@switchboard/common';
import { AgentEntity } from '../agent.entity';
import { AgentRuntimeError } from '../runtime/agent-runtime';
import { AgentRuntimeService } from '../runtime/agent-runtime.service';
import { CommandEntity } from './command.entity';
import { CommandPriority, nextCommandIndex, WaitingCommand } from './command-priority';
import { CommandsRepository } from './commands.repository';

interface QueuedCommand extends WaitingCommand {
  agent: AgentEntity;
  command: CommandEntity;
  onProgress: (command: CommandEntity) => void;
  done: () => void;
}

/**
 * Runs an instruction through the agent's runtime: queued → running → completed | failed. An agent
 * runs one command at a time; the next is its highest-priority waiting one (seed 003's `priority`).
 * Every state is stored before it is reported, so what a client was told can be read back.
 */
@Injectable()
export class CommandsService {
  private readonly logger = new Logger(CommandsService.name);
  private readonly waiting = new Map<string, QueuedCommand[]>();
  private readonly busy = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly commands: CommandsRepository,
    private readonly runtime: AgentRuntimeService,
    private readonly clock: Clock,
  ) {}

  /** Resolves once the command has ended (completed or failed). */
  async execute(
    agent: AgentEntity,
    instruction: string,
    parameters: JsonObject,
    requestedBy: string,
    onProgress: (command: CommandEntity) => void,
    priority: CommandPriority = 'normal',
  ): Promise<CommandEntity> {
    // Taken before the insert: concurrent inserts may finish out of order.
    const sequence = this.sequence++;
    const command: CommandEntity = {
      id: randomUUID(),
      agentId: agent.id,
      instruction,
      parameters,
      priority,
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
    await new Promise<void>((done) => {
      const queue = this.waiting.get(agent.id) ?? [];
      queue.push({ agent, command, onProgress, done, priority, sequence });
      this.waiting.set(agent.id, queue);
      void this.runNext(agent.id);
    });
    return command;
  }

  private async runNext(agentId: string): Promise<void> {
    const queue = this.waiting.get(agentId);
    if (this.busy.has(agentId) || !queue) return;
    const [next] = queue.splice(nextCommandIndex(queue), 1);
    if (queue.length === 0) this.waiting.delete(agentId);
    this.busy.add(agentId);
    try {
      await this.run(next);
    } finally {
      this.busy.delete(agentId);
      next.done();
      void this.runNext(agentId);
    }
  }

  private async run({ agent, command, onProgress }: QueuedCommand): Promise<void> {
    const { instruction, parameters } = command;
    try {
      await this.transition(command, { status: 'running' });
      onProgress({ ...command });
      const started = performance.now();
      try {
        const result = await this.reply(agent, instruction, parameters);
        await this.transition(command, { status: 'completed', result, ...this.finished(started) });
      } catch (error) {
        const message = error instanceof AgentRuntimeError ? error.message : 'The command failed';
        await this.transition(command, { status: 'failed', error: message, ...this.finished(started) });
      }
      onProgress({ ...command });
    } catch (error) {
      // The store failed: the command ends here, and the next one still runs.
      this.logger.error(`Command ${command.id} of agent ${agent.id} could not be recorded: ${(error as Error).message}`);
    }
  }

  async getForAgent(agentId: string, id: string): Promise<CommandEntity> {
    const command = await this.commands.findById(id);
    if (!command || command.agentId !== agentId) throw new NotFoundError(`Agent ${agentId} has no command ${id}`, { agentId, commandId: id });
    return command;
  }

  listForAgent(agentId: string, limit: number, offset: number): Promise<[CommandEntity[], number]> {
    return this.commands.findPageForAgent(agentId, limit, offset);
  }

  private async reply(agent: AgentEntity, instruction: string, parameters: JsonObject): Promise<JsonObject> {
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
