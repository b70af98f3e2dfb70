import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { Clock, ConflictError, EventBus } from '@switchboard/common';
import { ChannelsRepository } from './channels.repository';

export interface HandedOff {
  fromAgent: { id: string; name: string };
  toAgent: { id: string; name: string };
  reason: string | null;
}

/**
 * Seed 003's agent handoff: a conversation (a channel, with its session if it has one) passes from
 * one agent to another in one atomic write, then its members are told (`conversation.handoff`).
 * Access to the conversation is the caller's to check.
 */
@Injectable()
export class HandoffService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly agents: AgentsService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** `fromAgent` and `toAgent` are agent ids or names; an unknown one is AgentNotFoundError and nothing changes. */
  async handOff(conversation: { channelId: string; sessionId: string | null }, fromAgent: string, toAgent: string, reason: string | null = null): Promise<HandedOff> {
    const [from, to] = await Promise.all([this.agents.resolve(fromAgent), this.agents.resolve(toAgent)]);
    const { channelId, sessionId } = conversation;
    if (!(await this.channels.handOff(channelId, from.id, to.id, this.clock.now()))) {
      throw new ConflictError(`Agent ${from.name} is not in this conversation`, { fromAgent: from.id });
    }
    this.events.emit('conversation.handoff', { channelId, sessionId, fromAgent: from.id, toAgent: to.id, reason });
    return { fromAgent: from, toAgent: to, reason };
  }
}
