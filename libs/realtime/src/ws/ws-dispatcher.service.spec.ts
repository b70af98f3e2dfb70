import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { WS_CLIENT_FRAMES } from '@switchboard/client';
import { WsFrameDto } from './dto/ws-frame.dto';
import { WS_MESSAGE_HANDLERS } from './handlers/ws-message-handlers';
import { WsDispatcher } from './ws-dispatcher.service';
import { WS_MESSAGE_ROUTE, WsMessage, WsMessageHandler } from './ws-message.decorator';

@Injectable()
@WsMessage('undeclared', WsFrameDto)
class UndeclaredHandler implements WsMessageHandler {
  async handle(): Promise<void> {}
}

describe('WsDispatcher', () => {
  it('has a handler for exactly the client frames of the catalogue AsyncAPI is built from', () => {
    const types = WS_MESSAGE_HANDLERS.map((handler) => (Reflect.getMetadata(WS_MESSAGE_ROUTE.KEY, handler) as { type: string }).type);

    expect(types.sort()).toEqual(Object.keys(WS_CLIENT_FRAMES).sort());
  });

  it('refuses to start with a handler that declares no scopes: a message type is closed unless it says what it needs', async () => {
    const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [WsDispatcher, UndeclaredHandler] }).compile();

    await expect(module.init()).rejects.toThrow('UndeclaredHandler of "undeclared" declares no @RequireScopes');
  });
});
