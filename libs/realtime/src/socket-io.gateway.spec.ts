import { MetadataScanner, Reflector } from '@nestjs/core';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { AUTH_REQUIREMENT, AuthRequirement } from '@switchboard/common';
import { SOCKET_CLIENT_EVENTS } from '@switchboard/client';
import { SocketIoGateway } from './socket-io.gateway';

/** Each @SubscribeMessage handler of the gateway: its event and what it declares it needs. */
function handlers(): Array<{ event: string; requirement: AuthRequirement | undefined }> {
  const reflector = new Reflector();
  const prototype = SocketIoGateway.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  return new MetadataScanner().getAllMethodNames(prototype).flatMap((name) => {
    const event = Reflect.getMetadata(MESSAGE_METADATA, prototype[name]) as string | undefined;
    if (event === undefined) return [];
    return [{ event, requirement: reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [prototype[name], SocketIoGateway]) }];
  });
}

describe('SocketIoGateway handlers', () => {
  it('handle exactly the client events of the catalogue AsyncAPI is built from', () => {
    expect(handlers().map((h) => h.event).sort()).toEqual(Object.keys(SOCKET_CLIENT_EVENTS).sort());
  });

  it('each declare the scopes they need (an event that declares none is closed)', () => {
    for (const { event, requirement } of handlers()) {
      expect({ event, declaresScopes: requirement !== undefined && !requirement.public && requirement.scopes.length > 0 }).toEqual({ event, declaresScopes: true });
    }
  });
});
