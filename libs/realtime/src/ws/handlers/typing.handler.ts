import { Injectable } from '@nestjs/common';
import { EventBus } from '@switchboard/common';
import { RequireScopes } from '@switchboard/auth';
import { RoomAccessService } from '../../room-access.service';
import { TypingFrameDto } from '../dto/typing-frame.dto';
import type { WsClient } from '../ws-client';
import { WsProtocolError } from '../ws-envelope';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** Relays typing to the conversation's other members; answers only a frame with an id. Access is the conversation's. */
@Injectable()
abstract class TypingHandler implements WsMessageHandler<TypingFrameDto> {
  protected abstract readonly isTyping: boolean;

  constructor(
    private readonly rooms: RoomAccessService,
    private readonly events: EventBus,
  ) {}

  async handle(client: WsClient, frame: TypingFrameDto): Promise<void> {
    const conversationId = frame.conversationId ?? frame.data.conversationId;
    if (conversationId === undefined) throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: conversationId' });
    const room = await this.rooms.resolve(conversationId, client.identity.principal, 'read');
    this.events.emit('channel.typing', { ...room, entityId: client.identity.entityId, isTyping: this.isTyping, origin: client.id });
    if (frame.id !== undefined) client.send(this.isTyping ? 'typing_started' : 'typing_stopped', { conversationId }, frame.id);
  }
}

@Injectable()
@WsMessage('typing_start', TypingFrameDto)
@RequireScopes()
export class TypingStartHandler extends TypingHandler {
  protected readonly isTyping = true;
}

@Injectable()
@WsMessage('typing_stop', TypingFrameDto)
@RequireScopes()
export class TypingStopHandler extends TypingHandler {
  protected readonly isTyping = false;
}
