import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { epochMillisOrNull, TimeoutConfig } from '@switchboard/common';
import { insertRow, LookupCache, ReadCaches, sql, SqlExecutor, SqlStatement, Statement } from '@switchboard/persistence';
import { SessionEntity } from './session.entity';
import { MINUTE_MS } from './timeout-policy';
import type { SessionStatusFilter } from './dto/list-sessions-query.dto';

export interface SessionFilter {
  agentId?: string;
  userId?: string;
  /** Only sessions created by this API key. */
  createdBy?: string;
}

export interface ActivityRecord {
  expiresAt: number;
  renewalCount: number;
  warnedAt: number | null;
  /** Whether this activity moved the expiry. */
  renewed: boolean;
}

interface ActivityRow {
  expiresAt: string | number;
  renewalCount: string | number;
  warnedAt: string | number | null;
}

/** The activity as stored, from the rows of its statement (see `activityStatement`); null when the session is gone. */
export function activityRecord(rows: unknown[], renewTo: number | undefined): ActivityRecord | null {
  const row = rows[0] as ActivityRow | undefined;
  if (!row) return null;
  const expiresAt = Number(row.expiresAt);
  return { expiresAt, renewalCount: Number(row.renewalCount), warnedAt: epochMillisOrNull(row.warnedAt), renewed: renewTo !== undefined && expiresAt === renewTo };
}

/** What a sweep step needs of a session it claimed. */
export interface ClaimedSession {
  id: string;
  channelId: string;
  expiresAt: number;
}

export interface SessionCounts {
  total: number;
  active: number;
  expiringSoon: number;
}

const LIVE = "s.status = 'active' AND s.expires_at > :now";

/** The largest warning threshold (60 minutes): no live session further from expiry can be due a warning. */
const WARNING_HORIZON_MS = 60 * MINUTE_MS;

const FIND_BY_ID = sql<{ id: string }>('SELECT * FROM sessions WHERE id = :id');

const RETURNING_ACTIVITY = 'RETURNING expires_at AS "expiresAt", renewal_count AS "renewalCount", warned_at AS "warnedAt"';

const RECORD_ACTIVITY = sql<{ id: string; now: number }, ActivityRow>(`UPDATE sessions SET last_activity = :now WHERE id = :id ${RETURNING_ACTIVITY}`);

/** A live session whose expiry is earlier than the renewal target. */
const RENEWABLE = "(status = 'active' AND expires_at > :now AND expires_at < :renewTo)";

const RECORD_ACTIVITY_AND_RENEW = sql<{ id: string; now: number; renewTo: number }, ActivityRow>(
  `UPDATE sessions SET
     last_activity = :now,
     renewal_count = renewal_count + CASE WHEN ${RENEWABLE} THEN 1 ELSE 0 END,
     warned_at = CASE WHEN ${RENEWABLE} THEN NULL ELSE warned_at END,
     expires_at = CASE WHEN ${RENEWABLE} THEN :renewTo ELSE expires_at END
   WHERE id = :id ${RETURNING_ACTIVITY}`,
);

type ClaimParams = { now: number; limit: number };

/**
 * Sets `set` on up to `limit` sessions that are `due`, soonest expiry first, in one conditional
 * UPDATE: with several instances each row goes to exactly one.
 */
function claimStatement<P extends ClaimParams>(set: string, due: string): SqlStatement<P, { id: string; channelId: string; expiresAt: string | number }> {
  return sql(
    `UPDATE sessions SET ${set}
      WHERE id IN (SELECT id FROM sessions WHERE ${due} ORDER BY expires_at LIMIT :limit) AND ${due}
      RETURNING id, channel_id AS "channelId", expires_at AS "expiresAt"`,
  );
}

const CLAIM_DUE_WARNINGS = claimStatement<ClaimParams & { horizon: number }>(
  'warned_at = :now',
  `status = 'active' AND warned_at IS NULL AND expires_at > :now AND expires_at <= :horizon AND expires_at - warning_threshold_minutes * ${MINUTE_MS} <= :now`,
);

const CLAIM_DUE_EXPIRIES = claimStatement<ClaimParams>("status = 'expired', expired_at = :now", "status = 'active' AND expires_at <= :now");

const PURGE_EXPIRED_BEFORE = sql<{ cutoff: number; limit: number }, { id: string }>(
  `DELETE FROM channels WHERE id IN (
     SELECT channel_id FROM sessions WHERE status = 'expired' AND expires_at <= :cutoff AND expired_at <= :cutoff ORDER BY expires_at LIMIT :limit
   ) RETURNING id`,
);

/** Sessions as last read, for sends: forgotten everywhere when a handoff or a timeout change moves what a send relies on. */
const KNOWN_CACHE = { name: 'sessions', ttlMs: 10_000, maxEntries: 10_000 } as const;

@Injectable()
export class SessionsRepository {
  private readonly sessionFromRow = this.executor.rowMapper(SessionEntity);
  private readonly known: LookupCache<SessionEntity> = this.caches.cache(KNOWN_CACHE.name, KNOWN_CACHE);

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly executor: SqlExecutor,
    private readonly caches: ReadCaches,
  ) {}

  insert(session: SessionEntity): Promise<unknown> {
    return insertRow(this.sessions, session);
  }

  /** Every request on a session starts here: one prepared statement, no query building. */
  async findById(id: string): Promise<SessionEntity | null> {
    const [row] = await this.executor.query(FIND_BY_ID, { id });
    return row ? this.sessionFromRow(row) : null;
  }

  /**
   * The session as last read here, kept in memory (a copy). Who owns it, its channel, user, agent and
   * timeout config are current; its status, expiry and activity may be behind another instance's
   * sends, so a caller checks liveness in its write (see MessagingService's `whileSessionLive`).
   */
  async findKnown(id: string): Promise<SessionEntity | null> {
    const session = await this.known.get(id, () => this.findById(id));
    return session && { ...session };
  }

  /** Forgets the session on every instance: its agent or timeout config changed. */
  forget(id: string): Promise<void> {
    return this.caches.invalidate(KNOWN_CACHE.name, id);
  }

  /** The session with this id, or the one owning the channel with this id. */
  findByIdOrChannel(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOne({ where: [{ id }, { channelId: id }] });
  }

  findPage(filter: SessionFilter, status: SessionStatusFilter, now: number, limit: number, offset: number): Promise<[SessionEntity[], number]> {
    const query = this.filtered(filter, now);
    if (status === 'active') query.andWhere(LIVE);
    if (status === 'expired') query.andWhere(`NOT (${LIVE})`);
    return query.orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  /** Totals for the list's `stats` and the health route, in one pass. */
  async count(filter: SessionFilter, now: number): Promise<SessionCounts> {
    const row = await this.filtered(filter, now)
      .select('COUNT(*)', 'total')
      .addSelect(`SUM(CASE WHEN ${LIVE} THEN 1 ELSE 0 END)`, 'active')
      .addSelect(`SUM(CASE WHEN ${LIVE} AND s.expires_at - s.warning_threshold_minutes * ${MINUTE_MS} <= :now THEN 1 ELSE 0 END)`, 'expiringSoon')
      .getRawOne<Record<keyof SessionCounts, string | number | null>>();
    return { total: Number(row?.total ?? 0), active: Number(row?.active ?? 0), expiringSoon: Number(row?.expiringSoon ?? 0) };
  }

  /**
   * Records activity and, when `renewTo` is given, moves expiry there — only if that is later than
   * the stored expiry of a live session, so concurrent renewals count once. One statement; returns
   * the session's expiry and renewal count as stored after it.
   */
  async recordActivity(id: string, now: number, renewTo?: number): Promise<ActivityRecord | null> {
    const rows = renewTo === undefined ? await this.executor.write(RECORD_ACTIVITY, { id, now }) : await this.executor.write(RECORD_ACTIVITY_AND_RENEW, { id, now, renewTo });
    return activityRecord(rows, renewTo);
  }

  /** `recordActivity` as a statement to commit with another write (a message); read its rows with `activityRecord`. */
  activityStatement(id: string, now: number, renewTo?: number): Statement {
    return renewTo === undefined ? this.executor.bind(RECORD_ACTIVITY, { id, now }) : this.executor.bind(RECORD_ACTIVITY_AND_RENEW, { id, now, renewTo });
  }

  updateTimeout(id: string, config: TimeoutConfig, expiresAt: number, now: number): Promise<unknown> {
    return this.caches.writing(KNOWN_CACHE.name, id, () => this.sessions.update({ id }, { ...config, expiresAt, lastActivity: now, warnedAt: null }));
  }

  /**
   * Claims up to `limit` live sessions that entered their warning window and were not warned since
   * their last renewal, in one conditional UPDATE: with several instances each row goes to exactly
   * one. Returned as they are after the claim, so a renewal that landed first is reflected.
   */
  async claimDueWarnings(now: number, limit: number): Promise<ClaimedSession[]> {
    return claimedSessions(await this.executor.query(CLAIM_DUE_WARNINGS, { now, horizon: now + WARNING_HORIZON_MS, limit }, { alone: true }));
  }

  /** Claims up to `limit` live sessions past `expiresAt` and marks them expired, in one statement. */
  async claimDueExpiries(now: number, limit: number): Promise<ClaimedSession[]> {
    return claimedSessions(await this.executor.query(CLAIM_DUE_EXPIRIES, { now, limit }, { alone: true }));
  }

  /** Gives a claimed expiry back when acting on it failed, so the next sweep takes it again. */
  async releaseExpiry(id: string): Promise<void> {
    await this.sessions.update({ id, status: 'expired' }, { status: 'active', expiredAt: null });
  }

  /**
   * Deletes up to `limit` sessions expired before `cutoff` by deleting their channels (the
   * cascade takes sessions, messages, participants and tokens). `expired_at` is never earlier than
   * `expires_at`, so the index range on `expires_at` holds them all. Returns how many went.
   */
  async purgeExpiredBefore(cutoff: number, limit: number): Promise<number> {
    const rows = await this.executor.query(PURGE_EXPIRED_BEFORE, { cutoff, limit }, { alone: true });
    return rows.length;
  }

  private filtered(filter: SessionFilter, now: number): SelectQueryBuilder<SessionEntity> {
    const query = this.sessions.createQueryBuilder('s').where('1 = 1').setParameter('now', now);
    if (filter.agentId !== undefined) query.andWhere('s.agent_id = :agentId', { agentId: filter.agentId });
    if (filter.userId !== undefined) query.andWhere('s.user_id = :userId', { userId: filter.userId });
    if (filter.createdBy !== undefined) query.andWhere('s.created_by = :createdBy', { createdBy: filter.createdBy });
    return query;
  }
}

function claimedSessions(rows: Array<{ id: string; channelId: string; expiresAt: string | number }>): ClaimedSession[] {
  return rows.map((row) => ({ id: row.id, channelId: row.channelId, expiresAt: Number(row.expiresAt) }));
}
