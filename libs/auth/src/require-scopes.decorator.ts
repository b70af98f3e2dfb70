import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { AUTH_REQUIREMENT, AuthRequirement } from '@switchboard/common';
import { Scope } from './scopes';

/**
 * The scopes a route or socket event needs, all of them, or with `{ anyOf: [...] }` one of them;
 * the global AuthGuard (HTTP) and SocketScopesGuard (Socket.IO) check them. Every route and event
 * declares this or @Public().
 */
export function RequireScopes(...scopes: Scope[] | [{ anyOf: Scope[] }]): MethodDecorator & ClassDecorator {
  const [first] = scopes;
  const requirement: AuthRequirement<Scope> =
    typeof first === 'object' ? { public: false, scopes: first.anyOf, anyOf: true } : { public: false, scopes: scopes as Scope[] };
  return applyDecorators(SetMetadata(AUTH_REQUIREMENT, requirement), ApiBearerAuth(), ApiSecurity('api-key'));
}
