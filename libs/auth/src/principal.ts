import { Scope } from './scopes';

/** Who is calling: an API key (or the env admin token), or a session token bound to one session. */
export type Principal =
  | { kind: 'api-key'; keyId: string | null; name: string; scopes: readonly Scope[] }
  | { kind: 'session'; sessionId: string; /** The key that created the session; null for SWITCHBOARD_ADMIN_TOKEN. */ issuedBy: string | null; scopes: readonly Scope[] };
