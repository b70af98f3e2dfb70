import { Scope } from './scopes';

/** Who is calling: an API key (or the env admin token), or a session token bound to one session. */
export type Principal =
  | { kind: 'api-key'; keyId: string | null; name: string; scopes: readonly Scope[] }
  | { kind: 'session'; sessionId: string; scopes: readonly Scope[] };
