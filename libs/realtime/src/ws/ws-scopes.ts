import { ScopeRequirement, scopeRefusal } from '@switchboard/auth';
import type { SocketIdentity } from '../socket-identity';
import { WsProtocolError } from './ws-envelope';

/** The one scope check, in /ws terms: UNAUTHORIZED naming the scopes needed. A session token holds none of them. */
export function assertWsScopes(identity: SocketIdentity, requirement: ScopeRequirement): void {
  const refusal = scopeRefusal(identity.principal.scopes, requirement);
  if (refusal) throw new WsProtocolError('UNAUTHORIZED', refusal.message, refusal.details);
}
