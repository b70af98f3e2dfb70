import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { RequireScopes } from '@switchboard/auth';
import { BatchFrameDto } from '../dto/batch-frame.dto';
import type { WsClient } from '../ws-client';
import { parseEnvelope, WsEnvelope, WsProtocolError } from '../ws-envelope';
import { WsDispatcher } from '../ws-dispatcher.service';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/**
 * `batch` → each message runs in order and is answered on its own (its id, or `<batch id>:<index>`),
 * one failing does not stop the rest; then `batch_complete`. Each message is checked as a frame is.
 */
@Injectable()
@WsMessage('batch', BatchFrameDto)
@RequireScopes()
export class BatchHandler implements WsMessageHandler<BatchFrameDto> {
  constructor(@Inject(forwardRef(() => WsDispatcher)) private readonly dispatcher: WsDispatcher) {}

  async handle(client: WsClient, frame: BatchFrameDto): Promise<void> {
    const { messages } = frame.data;
    for (const [index, raw] of messages.entries()) {
      const fallbackId = `${frame.id ?? 'batch'}:${index}`;
      let message: WsEnvelope;
      try {
        message = parseEnvelope(raw);
      } catch (error) {
        client.sendError({ id: fallbackId }, error);
        continue;
      }
      const id = message.id ?? fallbackId;
      if (message.type === 'batch') client.sendError({ id }, new WsProtocolError('INVALID_MESSAGE', 'A batch cannot contain a batch'));
      else await this.dispatcher.dispatch(client, { ...message, id, targetAgent: message.targetAgent ?? frame.targetAgent });
    }
    client.send('batch_complete', { count: messages.length }, frame.id);
  }
}
