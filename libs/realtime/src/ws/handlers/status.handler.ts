import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { Clock } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { ConversationService } from '@switchboard/messaging';
import { StatusFrameDto } from '../dto/status-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `status` → `status_update`: whether `targetAgent` is answering, its queue, uptime and emotion. */
@Injectable()
@WsMessage('status', StatusFrameDto)
@RequireScopes('agents:read')
export class StatusHandler implements WsMessageHandler<StatusFrameDto> {
  constructor(
    private readonly agents: AgentsService,
    private readonly conversation: ConversationService,
    private readonly clock: Clock,
  ) {}

  async handle(client: WsClient, frame: StatusFrameDto): Promise<void> {
    const agent = await this.agents.resolve(frame.targetAgent);
    const [queueLength, emotion] = await Promise.all([this.conversation.pendingTurnsOf(agent.id), this.conversation.emotionOf(agent.id)]);
    client.send(
      'status_update',
      {
        agentId: agent.id,
        name: agent.name,
        status: agent.status,
        currentTask: queueLength > 0 ? 'processing_request' : 'idle',
        queueLength,
        uptime: Math.max(0, this.clock.now() - agent.createdAt),
        emotion,
      },
      frame.id,
    );
  }
}
