import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { insertRow, LookupCache, queryRows, ReadCaches, writeTogether } from '@switchboard/persistence';
import { AgentHandoffEntity } from './agent-handoff.entity';
import { ChannelEntity } from './channel.entity';
import { ParticipantEntity } from './participant.entity';

/** A channel's participants are read with every message and change with joins and handoffs only. */
const PARTICIPANTS_CACHE = { name: 'channel-participants', ttlMs: 10_000, maxEntries: 10_000 } as const;

@Injectable()
export class ChannelsRepository {
  private readonly participantsOf: LookupCache<ParticipantEntity[]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly caches: ReadCaches,
  ) {
    this.participantsOf = caches.cache(PARTICIPANTS_CACHE.name, PARTICIPANTS_CACHE);
  }

  /**
   * The channel and its first participants, all or nothing. Not a database transaction: on SQLite
   * every request shares one connection, so a transaction would take in (and could roll back)
   * other requests' writes. A failed participant insert removes the channel instead.
   */
  async createWithParticipants(channel: ChannelEntity, participants: ParticipantEntity[]): Promise<void> {
    await insertRow(this.dataSource.getRepository(ChannelEntity), channel);
    try {
      if (participants.length > 0) await this.caches.writing(PARTICIPANTS_CACHE.name, channel.id, () => this.dataSource.getRepository(ParticipantEntity).insert(participants));
    } catch (error) {
      await this.deleteById(channel.id);
      throw error;
    }
  }

  findById(id: string): Promise<ChannelEntity | null> {
    return this.dataSource.getRepository(ChannelEntity).findOneBy({ id });
  }

  /** Read on every message (who answers it): kept in memory, else one prepared statement. */
  async findParticipants(channelId: string): Promise<ParticipantEntity[]> {
    const participants = await this.participantsOf.get(channelId, async () => {
      const rows = await queryRows<{ entityId: string; kind: ParticipantEntity['kind']; joinedAt: string | number }>(
        this.dataSource,
        'SELECT entity_id AS "entityId", kind, joined_at AS "joinedAt" FROM channel_participants WHERE channel_id = ? ORDER BY joined_at',
        [channelId],
      );
      return rows.map((row) => ({ channelId, entityId: row.entityId, kind: row.kind, joinedAt: Number(row.joinedAt) }));
    });
    return [...(participants ?? [])];
  }

  /** Adds participants; ones already in the channel stay as they are. */
  async addParticipants(participants: ParticipantEntity[]): Promise<void> {
    if (participants.length === 0) return;
    const insert = () => this.dataSource.createQueryBuilder().insert().into(ParticipantEntity).values(participants).orIgnore().execute();
    const channelIds = [...new Set(participants.map((participant) => participant.channelId))];
    await this.caches.writing(PARTICIPANTS_CACHE.name, channelIds.length === 1 ? channelIds[0] : undefined, insert);
  }

  /**
   * Hands the channel from one agent to another, all or nothing: the handoff is recorded, the new
   * agent joins, the old one leaves, and the channel's session (if any) names the new agent. Every
   * statement is conditioned on the old agent being in the channel, so a handoff that lost a race
   * to another changes nothing. Whether it happened.
   */
  async handOff(handoff: AgentHandoffEntity): Promise<boolean> {
    const { id, channelId, fromAgentId, toAgentId } = handoff;
    const fromIsIn = 'EXISTS (SELECT 1 FROM channel_participants WHERE channel_id = ? AND entity_id = ? AND kind = ?)';
    const fromParams = [channelId, fromAgentId, 'agent'];
    const [recorded] = await this.caches.writing(PARTICIPANTS_CACHE.name, channelId, () =>
      writeTogether(
        this.dataSource,
        [
          {
            sql: `INSERT INTO agent_handoffs (id, channel_id, from_agent_id, to_agent_id, reason, handed_off_by, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${fromIsIn} RETURNING id`,
            params: [id, channelId, fromAgentId, toAgentId, handoff.reason, handoff.handedOffBy, handoff.createdAt, ...fromParams],
          },
          { sql: `UPDATE sessions SET agent_id = ? WHERE channel_id = ? AND ${fromIsIn}`, params: [toAgentId, channelId, ...fromParams] },
          {
            sql: `INSERT INTO channel_participants (channel_id, entity_id, kind, joined_at) SELECT ?, ?, ?, ? WHERE ${fromIsIn} ON CONFLICT DO NOTHING`,
            params: [channelId, toAgentId, 'agent', handoff.createdAt, ...fromParams],
          },
          { sql: 'DELETE FROM channel_participants WHERE channel_id = ? AND entity_id = ? AND kind = ?', params: fromParams },
        ],
        { serializeOn: channelId },
      ),
    );
    return recorded.length > 0;
  }

  /** Deletes the channel; its participants, messages and owning session go with it (ON DELETE CASCADE). */
  async deleteById(id: string): Promise<boolean> {
    const result = await this.caches.writing(PARTICIPANTS_CACHE.name, id, () => this.dataSource.getRepository(ChannelEntity).delete({ id }));
    return (result.affected ?? 0) > 0;
  }
}
