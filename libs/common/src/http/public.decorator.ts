import { SetMetadata } from '@nestjs/common';

/** Metadata key for what a route needs to be called; read by the auth guard. */
export const AUTH_REQUIREMENT = 'switchboard:auth-requirement';

export type AuthRequirement<Scope extends string = string> = { public: true } | { public: false; scopes: Scope[] };

/** Open without a token: only the probes and the API documents. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_REQUIREMENT, { public: true } satisfies AuthRequirement);
}
