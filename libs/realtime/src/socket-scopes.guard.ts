import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUTH_REQUIREMENT, AuthRequirement, ForbiddenError } from '@switchboard/common';
import { assertScopes, Scope } from '@switchboard/auth';
import type { SocketIdentity } from './socket-identity';

/**
 * Checks the scopes a Socket.IO event declares with @RequireScopes, against the token the socket
 * authenticated with at its handshake. Like routes, an event that declares nothing is closed.
 */
@Injectable()
export class SocketScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement<Scope> | undefined>(AUTH_REQUIREMENT, [context.getHandler(), context.getClass()]);
    if (requirement?.public) return true;
    if (!requirement) throw new ForbiddenError('This event declares no scope and is closed');
    const { identity } = context.switchToWs().getClient<{ data: { identity: SocketIdentity } }>().data;
    assertScopes(identity.principal.scopes, requirement);
    return true;
  }
}
