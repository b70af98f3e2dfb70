import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { insertRow, LookupCache, ReadCaches, sql, SqlExecutor } from '@switchboard/persistence';
import { AgentHandoffEntity } from './agent-handoff.entity';
import { ChannelEntity } from './channel.entity';
import { ParticipantEntity } from './participant.entity';

const FIND_PARTICIPANTS = sql<{ channelId: string }>('SELECT * FROM channel_participants WHERE channel_id = :channelId ORDER BY joined_at');

/** A channel's participants are read with every message and change with joins and handoffs only. */
const PARTICIPANTS_CACHE = { name: 'channel-participants', ttlMs: 10_000, maxEntries: 10_000 } as const;

type HandoffParams = Pick<AgentHandoffEntity, 'id' | 'channelId' | 'fromAgentId' | 'toAgentId' | 'reason' | 'handedOffBy' | 'createdAt'>;

/** Every statement of a handoff is conditioned on this: the old agent is still in the channel. */
const FROM_AGENT_IS_IN = "EXISTS (SELECT 1 FROM channel_participants WHERE channel_id = :channelId AND entity_id = :fromAgentId AND kind = 'agent')";

const RECORD_HANDOFF = sql<HandoffParams, { id: string }>(
  `INSERT INTO agent_handoffs (id, channel_id, from_agent_id, to_agent_id, reason, handed_off_by, created_at)
   SELECT :id, :channelId, :fromAgentId, :toAgentId, :reason, :handedOffBy, :createdAt WHERE ${FROM_AGENT_IS_IN} RETURNING id`,
);
const NAME_SESSION_AGENT = sql<Pick<HandoffParams, 'channelId' | 'fromAgentId' | 'toAgentId'>>(
  `UPDATE sessions SET agent_id = :toAgentId WHERE channel_id = :channelId AND ${FROM_AGENT_IS_IN}`,
);
const JOIN_NEW_AGENT = sql<Pick<HandoffParams, 'channelId' | 'fromAgentId' | 'toAgentId' | 'createdAt'>>(
  `INSERT INTO channel_participants (channel_id, entity_id, kind, joined_at)
   SELECT :channelId, :toAgentId, 'agent', :createdAt WHERE ${FROM_AGENT_IS_IN} ON CONFLICT DO NOTHING`,
);
const REMOVE_OLD_AGENT = sql<Pick<HandoffParams, 'channelId' | 'fromAgentId'>>(
  "DELETE FROM channel_participants WHERE channel_id = :channelId AND entity_id = :fromAgentId AND kind = 'agent'",
);

@Injectable()
export class ChannelsRepository {
  private readonly participantFromRow = this.executor.rowMapper(ParticipantEntity);
  private readonly participantsOf: LookupCache<ParticipantEntity[]> = this.caches.cache(PARTICIPANTS_CACHE.name, PARTICIPANTS_CACHE);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly executor: SqlExecutor,
    private readonly caches: ReadCaches,
  ) {}

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
      const rows = await this.executor.query(FIND_PARTICIPANTS, { channelId });
      return rows.map(this.participantFromRow);
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
    const statements = [RECORD_HANDOFF, NAME_SESSION_AGENT, JOIN_NEW_AGENT, REMOVE_OLD_AGENT].map((statement) => this.executor.bind(statement, handoff));
    const [recorded] = await this.caches.writing(PARTICIPANTS_CACHE.name, handoff.channelId, () =>
      this.executor.writeTogether(statements, { serializeOn: handoff.channelId }),
    );
    return recorded.length > 0;
  }

  /** Deletes the channel; its participants, messages and owning session go with it (ON DELETE CASCADE). */
  async deleteById(id: string): Promise<boolean> {
    const result = await this.caches.writing(PARTICIPANTS_CACHE.name, id, () => this.dataSource.getRepository(ChannelEntity).delete({ id }));
    return (result.affected ?? 0) > 0;
  }
}
