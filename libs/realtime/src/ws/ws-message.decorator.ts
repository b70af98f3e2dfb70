import { Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { WsClient } from './ws-client';
import type { WsFrameDto } from './dto/ws-frame.dto';

export interface WsMessageRoute {
  type: string;
  dto: Type<WsFrameDto>;
}

/** The metadata WsDispatcher discovers the handlers by. */
export const WS_MESSAGE_ROUTE = DiscoveryService.createDecorator<WsMessageRoute>();

/**
 * Registers a provider as the handler of one /ws message type, whose frames are checked against
 * `dto` before `handle` sees them. The handler declares its scopes with @RequireScopes, as a route does.
 */
export function WsMessage(type: string, dto: Type<WsFrameDto>): ClassDecorator {
  return WS_MESSAGE_ROUTE({ type, dto });
}

/** Answers one message type on the client that sent it, echoing the frame's id. */
export interface WsMessageHandler<T extends WsFrameDto = WsFrameDto> {
  handle(client: WsClient, frame: T): Promise<void>;
}
