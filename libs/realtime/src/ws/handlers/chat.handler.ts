import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { RequireScopes } from '@switchboard/auth';
import { MessagingService } from '@switchboard/messaging';
import { Room, RoomAccessService } from '../../room-access.service';
import { ChatFrameDto } from '../dto/chat-frame.dto';
import type { WsClient } from '../ws-client';
import { WsProtocolError } from '../ws-envelope';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';
import { assertWsScopes } from '../ws-scopes';

/** `chat` → `chat_response` with the agent's reply. Access is the conversation's: a session token may chat into its own session. */
@Injectable()
@WsMessage('chat', ChatFrameDto)
@RequireScopes()
export class ChatHandler implements WsMessageHandler<ChatFrameDto> {
  constructor(
    private readonly rooms: RoomAccessService,
    private readonly agents: AgentsService,
    private readonly messaging: MessagingService,
  ) {}

  async handle(client: WsClient, frame: ChatFrameDto): Promise<void> {
    const started = performance.now();
    const { data } = frame;
    const target = frame.targetAgent ? await this.agents.resolve(frame.targetAgent) : undefined;
    if (target && target.status !== 'active') {
      throw new WsProtocolError('AGENT_NOT_FOUND', `Agent ${target.name} is inactive and answers no chat`, { agentId: target.id, status: target.status });
    }
    const room = await this.conversationFor(client, data.conversationId, target?.id);
    client.follow(room.channelId);
    const posted = await this.rooms.post(room, client.identity.principal, client.identity.entityId, { content: data.message, messageId: data.messageId, source: 'ws' });
    const results = await posted.turn;
    const answer = results.find((r) => r.agentId === target?.id) ?? results[0];
    if (answer?.error) throw new WsProtocolError('INTERNAL_ERROR', answer.error.message, { agentId: answer.agentId, agentError: answer.error.code });
    client.send(
      'chat_response',
      {
        response: answer?.reply?.content ?? null,
        agentId: answer?.agentId ?? target?.id ?? null,
        processingTime: Math.round(performance.now() - started),
        emotion: answer?.emotion ?? 'neutral',
        conversationId: room.sessionId ?? room.channelId,
        messageId: answer?.reply?.id ?? null,
        userMessageId: posted.message.id,
        thought: answer?.reply?.thought ?? null,
        actions: answer?.reply?.actions ?? [],
        duplicate: !posted.created,
      },
      frame.id,
    );
  }

  /**
   * The conversation a chat goes to: the one named, else a session token's own session, else the
   * one this connection already has with the agent, else a new channel of this user and the agent.
   */
  private async conversationFor(client: WsClient, conversationId: string | undefined, agentId: string | undefined): Promise<Room> {
    const { principal, entityId } = client.identity;
    if (conversationId) return this.rooms.resolve(conversationId, principal, 'write');
    if (principal.kind === 'session') return this.rooms.resolve(principal.sessionId, principal, 'write');
    if (!agentId) throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: targetAgent (or data.conversationId)' });
    const existing = client.conversationWithAgent.get(agentId);
    if (existing) return this.rooms.resolve(existing, principal, 'write');
    assertWsScopes(client.identity, { scopes: ['messaging:write'] });
    const channel = await this.messaging.createChannel({
      type: 'group',
      participants: [
        { entityId, kind: 'user' },
        { entityId: agentId, kind: 'agent' },
      ],
      name: `ws:${entityId}`,
      metadata: { origin: 'ws' },
      createdBy: principal.keyId,
    });
    client.conversationWithAgent.set(agentId, channel.id);
    return { channelId: channel.id, sessionId: null };
  }
}
