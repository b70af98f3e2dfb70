import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AUTH_REQUIREMENT, AuthRequirement, ForbiddenError, UnauthorizedError } from '@switchboard/common';
import { AuthFailures } from './auth-failures';
import { AuthService } from './auth.service';
import { Principal } from './principal';
import { assertScopes } from './scope-check';
import { Scope } from './scopes';

export type AuthenticatedRequest = FastifyRequest<{ Params: Record<string, string | undefined> }> & { principal?: Principal };

/** `Authorization: Bearer <token>`, or `X-API-KEY: <token>` as ElizaOS clients send it. */
export function tokenFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined;
}

/**
 * The one place HTTP requests are authenticated and authorised. Routes are closed by default:
 * one that declares neither scopes nor @Public() refuses everybody.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly failures: AuthFailures,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirement = this.reflector.getAllAndOverride<AuthRequirement<Scope> | undefined>(AUTH_REQUIREMENT, [context.getHandler(), context.getClass()]);
    if (requirement?.public) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = tokenFromHeaders(request.headers);
    if (!token) throw new UnauthorizedError('Send a token as "Authorization: Bearer <token>" or "X-API-KEY: <token>"');
    const principal = await this.auth.resolve(token);
    if (!principal) {
      this.failures.record(request.ip);
      throw new UnauthorizedError('The token is unknown, revoked or expired');
    }
    request.principal = principal;
    if (!requirement) throw new ForbiddenError('This route declares no scope and is closed');
    assertScopes(principal.scopes, requirement);
    const sessionId = request.params.sessionId;
    if (principal.kind === 'session' && (typeof sessionId !== 'string' || sessionId.toLowerCase() !== principal.sessionId)) {
      throw new ForbiddenError('A session token is valid only for its own session', { sessionId: principal.sessionId });
    }
    return true;
  }
}
