import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { RequireScopes } from '@switchboard/auth';
import { MessagingService } from '@switchboard/messaging';
import { RoomAccessService } from '../../room-access.service';
import { JoinConversationFrameDto } from '../dto/join-conversation-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';
import { assertWsScopes } from '../ws-scopes';

/** `join_conversation` → `conversation_joined`: the client follows the conversation; agents named join it. Access is the conversation's. */
@Injectable()
@WsMessage('join_conversation', JoinConversationFrameDto)
@RequireScopes()
export class JoinConversationHandler implements WsMessageHandler<JoinConversationFrameDto> {
  constructor(
    private readonly rooms: RoomAccessService,
    private readonly agents: AgentsService,
    private readonly messaging: MessagingService,
  ) {}

  async handle(client: WsClient, { id, data }: JoinConversationFrameDto): Promise<void> {
    const room = await this.rooms.resolve(data.conversationId, client.identity.principal, 'read');
    const agentNames = data.agents ?? [];
    if (agentNames.length > 0) {
      assertWsScopes(client.identity, { scopes: ['messaging:write'] });
      const agents = await Promise.all(agentNames.map((name) => this.agents.resolve(name)));
      await this.messaging.addParticipants(room.channelId, agents.map((agent) => ({ entityId: agent.id, kind: 'agent' as const })));
    }
    client.follow(room.channelId);
    const { participants } = await this.messaging.getChannel(room.channelId);
    client.send(
      'conversation_joined',
      { conversationId: room.sessionId ?? room.channelId, channelId: room.channelId, participants: participants.map((p) => ({ entityId: p.entityId, kind: p.kind })) },
      id,
    );
  }
}
