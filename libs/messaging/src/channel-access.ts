import { grantsAll, Principal } from '@switchboard/auth';
import { ChannelEntity } from './channel.entity';
import { ParticipantEntity } from './participant.entity';

/** The entity an API key speaks as: its id, or `admin` for SWITCHBOARD_ADMIN_TOKEN. */
export function entityIdOf(actor: Extract<Principal, { kind: 'api-key' }>): string {
  return actor.keyId ?? 'admin';
}

/**
 * Who may see a channel on the channel routes and realtime rooms. A group channel belongs to the key
 * that created it and to the keys among its participants; `messaging:manage` sees every one. A
 * session's channel belongs to its session: the session's key and `sessions:manage` see it. Session
 * tokens reach their session only through the session. Everyone else is told it does not exist.
 */
export function canSeeChannel(actor: Principal, channel: Pick<ChannelEntity, 'type' | 'createdBy'>, participants: readonly Pick<ParticipantEntity, 'entityId' | 'kind'>[]): boolean {
  if (actor.kind === 'session') return false;
  if (grantsAll(actor.scopes, [channel.type === 'session' ? 'sessions:manage' : 'messaging:manage'])) return true;
  if (actor.keyId === null) return false;
  if (channel.createdBy === actor.keyId) return true;
  return channel.type === 'group' && participants.some((p) => p.kind === 'user' && p.entityId === actor.keyId);
}

/** A caller speaks only as itself, unless it is admin (which may speak for anyone, as on sockets). */
export function maySpeakAs(actor: Principal, entityId: string, ownEntityId: string): boolean {
  return entityId === ownEntityId || grantsAll(actor.scopes, ['admin']);
}
