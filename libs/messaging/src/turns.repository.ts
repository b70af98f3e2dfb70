import { Injectable } from '@nestjs/common';
import { isUniqueViolation, sql, SqlExecutor, Statement } from '@switchboard/persistence';
import { AgentTurnEntity } from './agent-turn.entity';
import { MessageEntity } from './message.entity';
import { TurnState } from './turn-schedule';

/** A turn as a worker holds it. */
export interface ClaimedTurn extends TurnState {
  channelId: string;
  sessionId: string | null;
}

/** A turn just claimed, with its message when the claim read it too (null: read it before answering). */
export interface NextTurn {
  turn: ClaimedTurn;
  message: MessageEntity | null;
}

/**
 * Enqueues the turn of a message written in the same commit, and claims it for `owner` when its
 * channel has no other turn (the hot path: nothing to wait for). It reads the message's row, so it
 * writes nothing when the message's own insert failed (a retried client id). Returns the owner.
 */
const ENQUEUE = sql<{ messageId: string; channelId: string; sessionId: string | null; owner: string; leaseUntil: number }>(
  `INSERT INTO agent_turns (message_id, channel_id, session_id, message_created_at, owner, lease_until, attempts)
  SELECT m.id, m.channel_id, CAST(:sessionId AS VARCHAR(36)), m.created_at, CASE WHEN q.busy THEN NULL ELSE CAST(:owner AS VARCHAR(64)) END,
    CASE WHEN q.busy THEN NULL ELSE CAST(:leaseUntil AS BIGINT) END, CASE WHEN q.busy THEN 0 ELSE 1 END
  FROM messages m, (SELECT EXISTS (SELECT 1 FROM agent_turns WHERE channel_id = :channelId) AS busy) q
  WHERE m.id = :messageId
  RETURNING owner`,
);

/**
 * Claims the channel's head turn when nobody holds it, in the same commit that ended the previous
 * one: the instance finishing a turn goes on with the next without another round trip.
 */
const CLAIM_HEAD = sql<{ owner: string; leaseUntil: number; channelId: string }>(
  `UPDATE agent_turns SET owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1
  WHERE message_id = (SELECT message_id FROM agent_turns WHERE channel_id = :channelId ORDER BY message_created_at LIMIT 1) AND owner IS NULL
  RETURNING *`,
);

/**
 * The message of the turn CLAIM_HEAD claimed, read in the same commit: the one claim a channel may
 * hold is that claim (FINISH released this owner's previous one), so the next turn starts without
 * another round trip. No row when nothing was claimed, or the message is gone.
 */
const CLAIMED_MESSAGE = sql<{ owner: string; leaseUntil: number; channelId: string }>(
  `SELECT m.* FROM agent_turns t JOIN messages m ON m.id = t.message_id
  WHERE t.channel_id = :channelId AND t.owner = :owner AND t.lease_until = :leaseUntil`,
);

/** Compare-and-set on the version read: two workers that decided on the same turn cannot both win. */
const CLAIM = sql<{ owner: string; leaseUntil: number; messageId: string; attempts: number; now: number }>(
  `UPDATE agent_turns SET owner = :owner, lease_until = :leaseUntil, attempts = attempts + 1
  WHERE message_id = :messageId AND attempts = :attempts AND (owner IS NULL OR lease_until <= :now)
  RETURNING *`,
);

const FIND_HEAD = sql<{ channelId: string }>('SELECT * FROM agent_turns WHERE channel_id = :channelId ORDER BY message_created_at LIMIT 1');

const EXTEND_LEASE = sql<{ leaseUntil: number; messageId: string; owner: string }>(
  'UPDATE agent_turns SET lease_until = :leaseUntil WHERE message_id = :messageId AND owner = :owner RETURNING message_id',
);

const FINISH = sql<{ messageId: string; owner: string }>('DELETE FROM agent_turns WHERE message_id = :messageId AND owner = :owner');

const HAND_BACK = sql<{ messageId: string; owner: string }>('UPDATE agent_turns SET owner = NULL, lease_until = NULL WHERE message_id = :messageId AND owner = :owner');

const CHANNELS_WITH_UNHELD_TURNS = sql<{ now: number; limit: number }, { channel_id: string }>(
  'SELECT DISTINCT channel_id FROM agent_turns WHERE owner IS NULL OR lease_until <= :now LIMIT :limit',
);

const EXISTS = sql<{ messageId: string }>('SELECT 1 AS found FROM agent_turns WHERE message_id = :messageId');

const COUNT_BY_STATE = sql<{ now: number }, { total: string | number; running: string | number | null }>(
  'SELECT COUNT(*) AS total, SUM(CASE WHEN owner IS NOT NULL AND lease_until > :now THEN 1 ELSE 0 END) AS running FROM agent_turns',
);

const COUNT_FOR_AGENT = sql<{ agentId: string }, { count: string | number }>(
  `SELECT COUNT(*) AS count FROM agent_turns t JOIN channel_participants p ON p.channel_id = t.channel_id
   WHERE p.entity_id = :agentId AND p.kind = 'agent'`,
);

@Injectable()
export class TurnsRepository {
  private readonly turnFromRow = this.executor.rowMapper(AgentTurnEntity);
  private readonly messageFromRow = this.executor.rowMapper(MessageEntity);

  constructor(private readonly executor: SqlExecutor) {}

  /** The statement that enqueues a message's turn beside the message (see ENQUEUE). */
  enqueueStatement(message: { id: string; channelId: string }, sessionId: string | null, owner: string, leaseUntil: number): Statement {
    return this.executor.bind(ENQUEUE, { messageId: message.id, channelId: message.channelId, sessionId, owner, leaseUntil });
  }

  /** The turns a channel still has to run, oldest first; only the head matters to a claim. */
  async findHead(channelId: string): Promise<ClaimedTurn[]> {
    const rows = await this.executor.query(FIND_HEAD, { channelId });
    return rows.map(this.turnFromRow);
  }

  /** Claims the turn read as `turn` for `owner`; false when another worker changed it first. */
  async claim(turn: ClaimedTurn, owner: string, leaseUntil: number, now: number): Promise<ClaimedTurn | null> {
    try {
      const changed = await this.executor.write(CLAIM, { owner, leaseUntil, messageId: turn.messageId, attempts: turn.attempts, now });
      return changed.length > 0 ? this.turnFromRow(changed[0]) : null;
    } catch (error) {
      // The partial unique index: another turn of the channel is held, so this one waits.
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** Holds the turn longer; false when the lease was lost (taken over, or the turn is gone). */
  async extendLease(messageId: string, owner: string, leaseUntil: number): Promise<boolean> {
    const rows = await this.executor.write(EXTEND_LEASE, { leaseUntil, messageId, owner });
    return rows.length > 0;
  }

  /**
   * The turn is over: its row goes, if this worker still holds it, and with `next` the channel's
   * next turn is claimed for it in the same commit. Returns that turn, if any.
   */
  async finish(turn: { messageId: string; channelId: string }, owner: string, next?: { leaseUntil: number }): Promise<NextTurn | null> {
    const rows = await this.executor.writeTogether(this.finishStatements(turn, owner, next), { serializeOn: turn.channelId });
    return this.claimedIn(rows);
  }

  /** `finish` as statements to commit with the turn's last reply. */
  finishStatements(turn: { messageId: string; channelId: string }, owner: string, next?: { leaseUntil: number }): Statement[] {
    const finish = this.executor.bind(FINISH, { messageId: turn.messageId, owner });
    if (!next) return [finish];
    const claim = { owner, leaseUntil: next.leaseUntil, channelId: turn.channelId };
    return [finish, this.executor.bind(CLAIM_HEAD, claim), this.executor.bind(CLAIMED_MESSAGE, claim)];
  }

  /** The turn the rows of `finishStatements` claimed, if any, with its message. */
  claimedIn(writtenWith: unknown[][]): NextTurn | null {
    const [turnRow] = (writtenWith[1] ?? []) as Record<string, unknown>[];
    if (!turnRow) return null;
    const [messageRow] = (writtenWith[2] ?? []) as Record<string, unknown>[];
    return { turn: this.turnFromRow(turnRow), message: messageRow ? this.messageFromRow(messageRow) : null };
  }

  /** Whether the rows of `enqueueStatement` say the turn was claimed at once. */
  wasClaimed(writtenWith: unknown[][]): boolean {
    return (writtenWith[0]?.[0] as { owner: string | null } | undefined)?.owner != null;
  }

  /** Gives the turn back unanswered (a drain): the next claim takes it at once. */
  handBack(messageId: string, owner: string): Promise<unknown> {
    return this.executor.write(HAND_BACK, { messageId, owner });
  }

  /** Channels with a turn nobody holds: waiting, or whose holder's lease ran out. */
  async channelsWithUnheldTurns(now: number, limit: number): Promise<string[]> {
    const rows = await this.executor.query(CHANNELS_WITH_UNHELD_TURNS, { now, limit });
    return rows.map((row) => row.channel_id);
  }

  async exists(messageId: string): Promise<boolean> {
    const rows = await this.executor.query(EXISTS, { messageId });
    return rows.length > 0;
  }

  /** Every turn in the store, on every instance: running (held under a live lease) or waiting. */
  async countByState(now: number): Promise<{ waiting: number; running: number }> {
    const [row] = await this.executor.query(COUNT_BY_STATE, { now });
    const running = Number(row.running ?? 0);
    return { waiting: Number(row.total) - running, running };
  }

  /** Turns waiting or running in the channels the agent takes part in, on every instance. */
  async countForAgent(agentId: string): Promise<number> {
    const [row] = await this.executor.query(COUNT_FOR_AGENT, { agentId });
    return Number(row.count);
  }
}
