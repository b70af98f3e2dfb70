import { SessionNotFoundError } from '@switchboard/common';
import { grantsAll, Principal } from '@switchboard/auth';
import { SessionEntity } from './session.entity';

/**
 * Who may see which session: `sessions:manage` (or admin) sees all; an API key sees the sessions
 * it created; a session token sees its own session only.
 */
export function canAccessSession(actor: Principal, session: Pick<SessionEntity, 'id' | 'createdBy'>): boolean {
  if (actor.kind === 'session') return actor.sessionId === session.id;
  return grantsAll(actor.scopes, ['sessions:manage']) || (actor.keyId !== null && actor.keyId === session.createdBy);
}

export function assertCanAccessSession(actor: Principal, session: SessionEntity): void {
  if (!canAccessSession(actor, session)) {
    // The same answer as for a session that does not exist: another key's session ids stay secret.
    throw new SessionNotFoundError(`Session ${session.id} does not exist`, { sessionId: session.id });
  }
}

/** The `createdBy` restriction a list must apply for this actor, if any. */
export function visibleCreator(actor: Principal): string | undefined {
  if (actor.kind === 'session' || grantsAll(actor.scopes, ['sessions:manage'])) return undefined;
  return actor.keyId ?? undefined;
}
