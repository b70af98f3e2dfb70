import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { AUTH_REQUIREMENT, AuthRequirement } from '@switchboard/common';
import { Scope } from './scopes';

/** The scopes a route needs; the global AuthGuard checks them. Every route declares this or @Public(). */
export function RequireScopes(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT, { public: false, scopes } satisfies AuthRequirement<Scope>),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
  );
}
