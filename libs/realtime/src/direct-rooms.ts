import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MessagingService } from '@switchboard/messaging';

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

/** Direct-channel ids are the only version-5 UUIDs Switchboard makes (others are version 4 or 7). */
export function mayBeDirectChannelId(channelId: string): boolean {
  return channelId.length === 36 && channelId[14] === '5';
}

/**
 * Which channels are direct channels joined by an agent's id (seed 002: "roomId should match the
 * agent/channel ID"): their events carry that agent's id as `roomId`, so the seed's client filter
 * `roomId === agentId || channelId === agentId` keeps them. A cache of facts that never change.
 */
@Injectable()
export class DirectRooms {
  private readonly agentOf = new Map<string, string>();
  /** Per direct channel not known yet on this instance: its events, waiting for the lookup, in order. */
  private readonly waiting = new Map<string, Promise<void>>();

  constructor(private readonly messaging: MessagingService) {}

  /**
   * Runs `emit` with the channel's alias. Another instance may have opened the direct channel (its
   * agent's turn can run anywhere): then the channel is read once, and its events wait, in order.
   */
  withAlias(channelId: string, emit: (directAgentId: string | undefined) => void): void {
    const pending = this.waiting.get(channelId);
    if (!pending && (this.agentOf.has(channelId) || !mayBeDirectChannelId(channelId))) {
      emit(this.agentOf.get(channelId));
      return;
    }
    const lookup =
      pending ??
      this.messaging.findChannel(channelId).then(
        (channel) => {
          const agentId = channel?.metadata.directAgentId;
          if (typeof agentId === 'string') this.remember(channelId, agentId);
        },
        () => undefined,
      );
    // A failing emit must neither stop the events queued after it nor go unhandled.
    const next = lookup.then(() => emit(this.agentOf.get(channelId))).catch(() => undefined);
    this.waiting.set(channelId, next);
    void next.then(() => {
      if (this.waiting.get(channelId) === next) this.waiting.delete(channelId);
    });
  }

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
