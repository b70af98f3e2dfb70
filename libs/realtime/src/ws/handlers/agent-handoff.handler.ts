import { Injectable } from '@nestjs/common';
import { RequireScopes } from '@switchboard/auth';
import { HandoffService } from '@switchboard/messaging';
import { RoomAccessService } from '../../room-access.service';
import { AgentHandoffFrameDto } from '../dto/agent-handoff-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `agent_handoff` → `handoff_complete`; the conversation's other members get `agent_handoff`. */
@Injectable()
@WsMessage('agent_handoff', AgentHandoffFrameDto)
@RequireScopes('messaging:write')
export class AgentHandoffHandler implements WsMessageHandler<AgentHandoffFrameDto> {
  constructor(
    private readonly rooms: RoomAccessService,
    private readonly handoffs: HandoffService,
  ) {}

  async handle(client: WsClient, { id, data }: AgentHandoffFrameDto): Promise<void> {
    const room = await this.rooms.resolve(data.conversationId, client.identity.principal, 'write');
    // Followed first, so the sender is told of the handoff as the conversation's other members are.
    client.follow(room.channelId);
    const { fromAgent, toAgent, reason } = await this.handoffs.handOff(room, data.fromAgent, data.toAgent, client.identity.entityId, data.reason ?? null);
    client.send('handoff_complete', { conversationId: room.sessionId ?? room.channelId, fromAgent: fromAgent.id, toAgent: toAgent.id, reason }, id);
  }
}
