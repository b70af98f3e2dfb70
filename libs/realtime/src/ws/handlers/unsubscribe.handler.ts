import { Injectable } from '@nestjs/common';
import { RequireScopes } from '@switchboard/auth';
import { UnsubscribeFrameDto } from '../dto/unsubscribe-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `unsubscribe` → `unsubscribed`, with what the connection still gets. Anyone may stop what they get. */
@Injectable()
@WsMessage('unsubscribe', UnsubscribeFrameDto)
@RequireScopes()
export class UnsubscribeHandler implements WsMessageHandler<UnsubscribeFrameDto> {
  async handle(client: WsClient, { id, data }: UnsubscribeFrameDto): Promise<void> {
    if (data.stream === 'thoughts') client.thoughtStreams.splice(0);
    else data.events!.forEach((event) => client.events.delete(event));
    client.send('unsubscribed', { events: [...client.events], streams: client.thoughtStreams.length > 0 ? ['thoughts'] : [] }, id);
  }
}
