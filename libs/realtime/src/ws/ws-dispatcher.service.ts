import { Injectable, Logger, OnModuleInit, Type } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { AUTH_REQUIREMENT, AuthRequirement, MissingFieldsError } from '@switchboard/common';
import type { Scope, ScopeRequirement } from '@switchboard/auth';
import { validateSocketPayload } from '../socket-payload.pipe';
import type { WsFrameDto } from './dto/ws-frame.dto';
import type { WsClient } from './ws-client';
import { toWsError, WsEnvelope, WsErrorCode, WsProtocolError } from './ws-envelope';
import { WS_MESSAGE_ROUTE, WsMessageHandler } from './ws-message.decorator';
import { assertWsScopes } from './ws-scopes';

interface Route {
  handler: WsMessageHandler;
  dto: Type<WsFrameDto>;
  requirement: ScopeRequirement;
}

/**
 * Seed 003's message types, each answered by the @WsMessage handler registered for it: the
 * handler's declared scopes are checked, then its DTO, with the checks and error classes of HTTP
 * bodies, then it runs. Any failure is answered as an `error` frame echoing the request id.
 */
@Injectable()
export class WsDispatcher implements OnModuleInit {
  private readonly logger = new Logger(WsDispatcher.name);
  private readonly routes = new Map<string, Route>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: WS_MESSAGE_ROUTE.KEY })) {
      const { type, dto } = this.discovery.getMetadataByDecorator(WS_MESSAGE_ROUTE, wrapper)!;
      const requirement = this.reflector.get<AuthRequirement<Scope> | undefined>(AUTH_REQUIREMENT, wrapper.metatype as Type);
      // Like routes and Socket.IO events, a message type is closed unless it declares its scopes.
      if (!requirement || requirement.public) throw new Error(`The /ws handler ${wrapper.name} of "${type}" declares no @RequireScopes`);
      if (this.routes.has(type)) throw new Error(`Two /ws handlers of "${type}"`);
      this.routes.set(type, { handler: wrapper.instance as WsMessageHandler, dto, requirement });
    }
  }

  get types(): string[] {
    return [...this.routes.keys()];
  }

  /**
   * Runs one request; every failure is answered as an `error` frame and never closes the
   * connection. Resolves to `ok` or the code of the error it answered.
   */
  async dispatch(client: WsClient, request: WsEnvelope): Promise<'ok' | WsErrorCode> {
    const route = this.routes.get(request.type);
    try {
      if (!route) throw new WsProtocolError('INVALID_MESSAGE', `Unknown message type "${request.type}"`, { type: request.type, known: this.types });
      assertWsScopes(client.identity, route.requirement);
      await route.handler.handle(client, await readFrame(route.dto, request));
      return 'ok';
    } catch (error) {
      const wsError = toWsError(error);
      // Failures already put in protocol terms (an agent that failed) were logged where they happened.
      if (wsError.code === 'INTERNAL_ERROR' && !(error instanceof WsProtocolError)) {
        this.logger.error(`/ws ${request.type} failed: ${(error as Error).stack ?? String(error)}`);
      }
      return client.sendError(request, wsError);
    }
  }
}

/** The frame as its DTO; a frame that only lacks fields is refused in the seed's words ("Missing required field: targetAgent"). */
async function readFrame(dto: Type<WsFrameDto>, request: WsEnvelope): Promise<WsFrameDto> {
  try {
    return await validateSocketPayload(dto, { ...request, data: request.data ?? {} });
  } catch (error) {
    if (!(error instanceof MissingFieldsError)) throw error;
    const missing = (error.details.missingFields as string[] | undefined) ?? [];
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: `Missing required field${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}` });
  }
}
