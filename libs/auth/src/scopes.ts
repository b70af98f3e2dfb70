export const SCOPES = [
  'sessions:create',
  'sessions:read',
  'sessions:write',
  'sessions:manage',
  'sessions:health',
  'agents:read',
  'agents:manage',
  'messaging:read',
  'messaging:write',
  'messaging:manage',
  'metrics:read',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What a session token may do, and only on its own session. */
export const SESSION_TOKEN_SCOPES: readonly Scope[] = ['sessions:read', 'sessions:write'];

/** `admin` stands for every scope. */
export function grantsAll(held: readonly Scope[], required: readonly Scope[]): boolean {
  return held.includes('admin') || required.every((scope) => held.includes(scope));
}
