import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation, queryRows, Statement, writeRows, writeTogether } from '@switchboard/persistence';
import { AgentTurnEntity } from './agent-turn.entity';
import { TurnState } from './turn-schedule';

/** A turn as a worker holds it. */
export interface ClaimedTurn extends TurnState {
  channelId: string;
  sessionId: string | null;
}

type TurnRow = { message_id: string; channel_id: string; session_id: string | null; owner: string | null } & Record<
  'message_created_at' | 'lease_until' | 'attempts',
  string | number | null
>;

function turnFromRow(row: TurnRow): ClaimedTurn {
  return {
    messageId: row.message_id,
    channelId: row.channel_id,
    sessionId: row.session_id,
    messageCreatedAt: Number(row.message_created_at),
    owner: row.owner,
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    attempts: Number(row.attempts),
  };
}

/**
 * Enqueues the turn of a message written in the same commit, and claims it for `owner` when its
 * channel has no other turn (the hot path: nothing to wait for). It reads the message's row, so it
 * writes nothing when the message's own insert failed (a retried client id). Returns the owner.
 */
const ENQUEUE = `INSERT INTO agent_turns (message_id, channel_id, session_id, message_created_at, owner, lease_until, attempts)
  SELECT m.id, m.channel_id, CAST(? AS VARCHAR(36)), m.created_at, CASE WHEN q.busy THEN NULL ELSE CAST(? AS VARCHAR(64)) END,
    CASE WHEN q.busy THEN NULL ELSE CAST(? AS BIGINT) END, CASE WHEN q.busy THEN 0 ELSE 1 END
  FROM messages m, (SELECT EXISTS (SELECT 1 FROM agent_turns WHERE channel_id = ?) AS busy) q
  WHERE m.id = ?
  RETURNING owner`;

/**
 * Claims the channel's head turn when nobody holds it, in the same commit that ended the previous
 * one: the instance finishing a turn goes on with the next without another round trip.
 */
const CLAIM_HEAD = `UPDATE agent_turns SET owner = ?, lease_until = ?, attempts = attempts + 1
  WHERE message_id = (SELECT message_id FROM agent_turns WHERE channel_id = ? ORDER BY message_created_at LIMIT 1) AND owner IS NULL
  RETURNING *`;

/** Compare-and-set on the version read: two workers that decided on the same turn cannot both win. */
const CLAIM = `UPDATE agent_turns SET owner = ?, lease_until = ?, attempts = attempts + 1
  WHERE message_id = ? AND attempts = ? AND (owner IS NULL OR lease_until <= ?)`;

@Injectable()
export class TurnsRepository {
  constructor(@InjectRepository(AgentTurnEntity) private readonly turns: Repository<AgentTurnEntity>) {}

  private get dataSource(): DataSource {
    return this.turns.manager.connection;
  }

  /** The statement that enqueues a message's turn beside the message (see ENQUEUE). */
  enqueueStatement(message: { id: string; channelId: string }, sessionId: string | null, owner: string, leaseUntil: number): Statement {
    return { sql: ENQUEUE, params: [sessionId, owner, leaseUntil, message.channelId, message.id] };
  }

  /** The turns a channel still has to run, oldest first; only the head matters to a claim. */
  async findHead(channelId: string): Promise<ClaimedTurn[]> {
    const rows = await queryRows<TurnRow>(this.dataSource, 'SELECT * FROM agent_turns WHERE channel_id = ? ORDER BY message_created_at LIMIT 1', [channelId]);
    return rows.map(turnFromRow);
  }

  /** Claims the turn read as `turn` for `owner`; false when another worker changed it first. */
  async claim(turn: ClaimedTurn, owner: string, leaseUntil: number, now: number): Promise<ClaimedTurn | null> {
    try {
      const changed = await writeRows<TurnRow>(this.dataSource, `${CLAIM} RETURNING *`, [owner, leaseUntil, turn.messageId, turn.attempts, now]);
      return changed.length > 0 ? turnFromRow(changed[0]) : null;
    } catch (error) {
      // The partial unique index: another turn of the channel is held, so this one waits.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Holds the turn longer; false when the lease was lost (taken over, or the turn is gone). */
  async extendLease(messageId: string, owner: string, leaseUntil: number): Promise<boolean> {
    const rows = await writeRows<{ message_id: string }>(
      this.dataSource,
      'UPDATE agent_turns SET lease_until = ? WHERE message_id = ? AND owner = ? RETURNING message_id',
      [leaseUntil, messageId, owner],
    );
    return rows.length > 0;
  }

  /**
   * The turn is over: its row goes, if this worker still holds it, and with `next` the channel's
   * next turn is claimed for it in the same commit. Returns that turn, if any.
   */
  async finish(turn: { messageId: string; channelId: string }, owner: string, next?: { leaseUntil: number }): Promise<ClaimedTurn | null> {
    const rows = await writeTogether(this.dataSource, this.finishStatements(turn, owner, next), { serializeOn: turn.channelId });
    return this.claimedIn(rows);
  }

  /** `finish` as statements to commit with the turn's last reply. */
  finishStatements(turn: { messageId: string; channelId: string }, owner: string, next?: { leaseUntil: number }): Statement[] {
    const finish = { sql: 'DELETE FROM agent_turns WHERE message_id = ? AND owner = ?', params: [turn.messageId, owner] };
    return next ? [finish, { sql: CLAIM_HEAD, params: [owner, next.leaseUntil, turn.channelId] }] : [finish];
  }

  /** The turn the rows of `finishStatements` claimed, if any. */
  claimedIn(writtenWith: unknown[][]): ClaimedTurn | null {
    const row = writtenWith[1]?.[0] as TurnRow | undefined;
    return row ? turnFromRow(row) : null;
  }

  /** Whether the rows of `enqueueStatement` say the turn was claimed at once. */
  wasClaimed(writtenWith: unknown[][]): boolean {
    return (writtenWith[0]?.[0] as { owner: string | null } | undefined)?.owner != null;
  }

  /** Gives the turn back unanswered (a drain): the next claim takes it at once. */
  handBack(messageId: string, owner: string): Promise<unknown> {
    return writeRows(this.dataSource, 'UPDATE agent_turns SET owner = NULL, lease_until = NULL WHERE message_id = ? AND owner = ?', [messageId, owner]);
  }

  /** Channels with a turn nobody holds: waiting, or whose holder's lease ran out. */
  async channelsWithUnheldTurns(now: number, limit: number): Promise<string[]> {
    const rows = await queryRows<{ channel_id: string }>(
      this.dataSource,
      'SELECT DISTINCT channel_id FROM agent_turns WHERE owner IS NULL OR lease_until <= ? LIMIT ?',
      [now, limit],
    );
    return rows.map((row) => row.channel_id);
  }

  async exists(messageId: string): Promise<boolean> {
    const rows = await queryRows(this.dataSource, 'SELECT 1 AS found FROM agent_turns WHERE message_id = ?', [messageId]);
    return rows.length > 0;
  }

  /** Every turn in the store, on every instance: running (held under a live lease) or waiting. */
  async countByState(now: number): Promise<{ waiting: number; running: number }> {
    const [row] = await queryRows<{ total: string | number; running: string | number | null }>(
      this.dataSource,
      'SELECT COUNT(*) AS total, SUM(CASE WHEN owner IS NOT NULL AND lease_until > ? THEN 1 ELSE 0 END) AS running FROM agent_turns',
      [now],
    );
    const running = Number(row.running ?? 0);
    return { waiting: Number(row.total) - running, running };
  }

  /** Turns waiting or running in the channels the agent takes part in, on every instance. */
  async countForAgent(agentId: string): Promise<number> {
    const [row] = await queryRows<{ count: string | number }>(
      this.dataSource,
      `SELECT COUNT(*) AS count FROM agent_turns t JOIN channel_participants p ON p.channel_id = t.channel_id
       WHERE p.entity_id = ? AND p.kind = 'agent'`,
      [agentId],
    );
    return Number(row.count);
  }
}
