import { ForbiddenError } from '@switchboard/common';
import { grantsAll, Scope } from './scopes';

/** What an operation needs: every one of `scopes`, or with `anyOf` one of them. */
export interface ScopeRequirement {
  scopes: readonly Scope[];
  anyOf?: boolean;
}

/**
 * The one scope check of every transport (HTTP routes, Socket.IO events, `/ws` frames, room
 * access): the refusal to answer with, or null when the held scopes suffice. Each transport
 * throws it or puts it in its own terms (`/ws` answers UNAUTHORIZED with its details).
 */
export function scopeRefusal(held: readonly Scope[], { scopes, anyOf = false }: ScopeRequirement): ForbiddenError | null {
  const granted = anyOf ? scopes.some((scope) => grantsAll(held, [scope])) : grantsAll(held, scopes);
  if (granted) return null;
  return new ForbiddenError(`This needs the scope ${scopes.join(anyOf ? ' or ' : ', ')}`, { requiredScopes: [...scopes] });
}

export function assertScopes(held: readonly Scope[], requirement: ScopeRequirement): void {
  const refusal = scopeRefusal(held, requirement);
  if (refusal) throw refusal;
}
