import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** How many direct channels an instance remembers the agent of; the oldest are forgotten first. */
const REMEMBERED = 100_000;
/** Namespace of direct-channel ids (RFC 4122 version 5), so a user and an agent always meet in the same channel. */
const DIRECT_NAMESPACE = Buffer.from('6f1c2a7e9b3d4c5e8f0a1b2c3d4e5f60', 'hex');

/** The id of the direct channel between an entity and an agent: a name-based UUID, the same on every instance. */
export function directChannelId(entityId: string, agentId: string): string {
  const hash = createHash('sha1').update(DIRECT_NAMESPACE).update(`direct:${entityId}:${agentId}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Which channels are direct channels joined by an agent's id (seed 002: "roomId should match the
 * agent/channel ID"): their events carry that agent's id as `roomId`, so the seed's client filter
 * `roomId === agentId || channelId === agentId` keeps them. A cache of facts that never change.
 */
@Injectable()
export class DirectRooms {
  private readonly agentOf = new Map<string, string>();

  remember(channelId: string, agentId: string): void {
    if (this.agentOf.has(channelId)) return;
    if (this.agentOf.size >= REMEMBERED) this.agentOf.delete(this.agentOf.keys().next().value as string);
    this.agentOf.set(channelId, agentId);
  }

  /** The agent id a direct channel is known by, or undefined for any other channel. */
  aliasOf(channelId: string): string | undefined {
    return this.agentOf.get(channelId);
  }
}
