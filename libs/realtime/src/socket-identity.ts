import type { Principal } from '@switchboard/auth';

/** What a socket carries after its handshake. */
export interface SocketIdentity {
  principal: Principal;
  /** Who messages from this socket are from: the session's user, or the API key. */
  entityId: string;
  isAdmin: boolean;
}

export function tokenFromHandshake(handshake: { auth?: Record<string, unknown>; headers: Record<string, string | string[] | undefined> }): string | undefined {
  const fromAuth = handshake.auth?.token;
  if (typeof fromAuth === 'string' && fromAuth.trim() !== '') return fromAuth.trim().replace(/^Bearer\s+/i, '');
  return undefined;
}
