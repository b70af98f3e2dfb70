import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';
import { Principal } from './principal';

/** The authenticated principal of the request (set by AuthGuard). */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Actor used on a route without authentication');
  return principal;
});
