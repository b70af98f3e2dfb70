import { Injectable } from '@nestjs/common';
import { RequireScopes } from '@switchboard/auth';
import { WsFrameDto } from '../dto/ws-frame.dto';
import type { WsClient } from '../ws-client';
import { WsMessage, WsMessageHandler } from '../ws-message.decorator';

/** `ping` → `pong`: the seed's application-level keep-alive. */
@Injectable()
@WsMessage('ping', WsFrameDto)
@RequireScopes()
export class PingHandler implements WsMessageHandler {
  async handle(client: WsClient, frame: WsFrameDto): Promise<void> {
    client.send('pong', {}, frame.id);
  }
}

/** `pong`: the answer to the server's JSON heartbeat; receiving it already marked the client alive. */
@Injectable()
@WsMessage('pong', WsFrameDto)
@RequireScopes()
export class PongHandler implements WsMessageHandler {
  async handle(): Promise<void> {}
}
