import { SetMetadata } from '@nestjs/common';

/** Metadata key for what a route needs to be called; read by the auth guard. */
export const AUTH_REQUIREMENT = 'switchboard:auth-requirement';

/** `scopes` are all needed, or with `anyOf` any one of them is enough. */
export type AuthRequirement<Scope extends string = string> = { public: true } | { public: false; scopes: Scope[]; anyOf?: boolean };

/** Open without a token: only the probes and the API documents. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_REQUIREMENT, { public: true } satisfies AuthRequirement);
}
