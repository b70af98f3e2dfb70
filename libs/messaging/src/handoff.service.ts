import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { Clock, ConflictError, EventBus, timeOrderedUuid } from '@switchboard/common';
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

  /** `fromAgent` and `toAgent` are agent ids or names, `handedOffBy` who asked (an entity id); an unknown one is AgentNotFoundError and nothing changes. */
  async handOff(conversation: { channelId: string; sessionId: string | null }, fromAgent: string, toAgent: string, handedOffBy: string, reason: string | null = null): Promise<HandedOff> {
    const [from, to] = await Promise.all([this.agents.resolve(fromAgent), this.agents.resolve(toAgent)]);
    const { channelId, sessionId } = conversation;
    const now = this.clock.now();
    const handoff = { id: timeOrderedUuid(now), channelId, fromAgentId: from.id, toAgentId: to.id, reason, handedOffBy, createdAt: now };
    if (!(await this.channels.handOff(handoff))) {
      throw new ConflictError(`Agent ${from.name} is not in this conversation`, { fromAgent: from.id });
    }
    this.events.emit('conversation.handoff', { channelId, sessionId, fromAgent: from.id, toAgent: to.id, reason });
    return { fromAgent: from, toAgent: to, reason };
  }
}
