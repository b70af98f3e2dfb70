import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { EventBus } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { MessagingService } from '@switchboard/messaging';
import { SessionsService } from '@switchboard/sessions';
import { RoomAccessService } from '../../room-access.service';
import { AgentHandoffFrameDto } from '../dto/agent-handoff-frame.dto';
import type { WsClient } from '../ws-client';
import { WsProtocolError } from '../ws-envelope';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `agent_handoff` → `handoff_complete`; the conversation's other members get `agent_handoff`. */
@Injectable()
@WsMessage('agent_handoff', AgentHandoffFrameDto)
@RequireScopes('messaging:write')
export class AgentHandoffHandler implements WsMessageHandler<AgentHandoffFrameDto> {
  constructor(
    private readonly rooms: RoomAccessService,
    private readonly agents: AgentsService,
    private readonly messaging: MessagingService,
    private readonly sessions: SessionsService,
    private readonly events: EventBus,
  ) {}

  async handle(client: WsClient, { id, data }: AgentHandoffFrameDto): Promise<void> {
    const room = await this.rooms.resolve(data.conversationId, client.identity.principal, 'write');
    const [from, to] = await Promise.all([this.agents.resolve(data.fromAgent), this.agents.resolve(data.toAgent)]);
    if (!(await this.messaging.removeParticipant(room.channelId, from.id))) {
      throw new WsProtocolError('INVALID_MESSAGE', `Agent ${from.name} is not in this conversation`, { fromAgent: from.id });
    }
    await this.messaging.addParticipants(room.channelId, [{ entityId: to.id, kind: 'agent' }]);
    if (room.sessionId) await this.sessions.reassignAgent(room.sessionId, to.id);
    const reason = data.reason ?? null;
    client.follow(room.channelId);
    this.events.emit('conversation.handoff', { channelId: room.channelId, sessionId: room.sessionId, fromAgent: from.id, toAgent: to.id, reason });
    client.send('handoff_complete', { conversationId: room.sessionId ?? room.channelId, fromAgent: from.id, toAgent: to.id, reason }, id);
  }
}
