import { Injectable } from '@nestjs/common';
import { AgentsService } from '@switchboard/agents';
import { RequireScopes } from '@switchboard/auth';
import { SubscribeFrameDto } from '../dto/subscribe-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';
import { assertWsScopes } from '../ws-scopes';

/** `subscribe` → `subscribed`: agent events from now on, or the thoughts of one agent or all. */
@Injectable()
@WsMessage('subscribe', SubscribeFrameDto)
@RequireScopes('agents:read')
export class SubscribeHandler implements WsMessageHandler<SubscribeFrameDto> {
  constructor(private readonly agents: AgentsService) {}

  async handle(client: WsClient, { id, data }: SubscribeFrameDto): Promise<void> {
    if (data.stream === 'thoughts') {
      // Thoughts carry what agents think about any conversation: only keys that may read every session.
      assertWsScopes(client.identity, { scopes: ['sessions:manage'] });
      const agent = data.agentId ? await this.agents.resolve(data.agentId) : undefined;
      const minImportance = data.filter?.minImportance ?? 0;
      client.thoughtStreams.push({ agentId: agent?.id, minImportance });
      client.send('subscribed', { stream: 'thoughts', agentId: agent?.id ?? null, filter: { minImportance } }, id);
      return;
    }
    data.events!.forEach((event) => client.events.add(event));
    client.send('subscribed', { events: [...client.events] }, id);
  }
}
