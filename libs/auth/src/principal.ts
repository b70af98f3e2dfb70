import { Scope } from './scopes';

/** Who is calling: an API key (or the env admin token), or a session token bound to one session. */
export type Principal =
  | { kind: 'api-key'; keyId: string | null; name: string; scopes: readonly Scope[] }
  | { kind: 'session'; sessionId: string; /** The key that created the session; null for SWITCHBOARD_ADMIN_TOKEN. */ issuedBy: string | null; scopes: readonly Scope[] };

/** How logs name a principal, never by its token: `api-key:<id>`, `api-key:SWITCHBOARD_ADMIN_TOKEN`, `session:<id>`. */
export function principalLabel(principal: Principal | undefined): string | undefined {
  if (!principal) return undefined;
  return principal.kind === 'session' ? `session:${principal.sessionId}` : `api-key:${principal.keyId ?? principal.name}`;
}
