import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { TimeoutConfig } from '@switchboard/common';
import { insertRow } from '@switchboard/persistence';
import { SessionEntity } from './session.entity';
import type { SessionStatusFilter } from './dto/list-sessions-query.dto';

export interface SessionFilter {
  agentId?: string;
  userId?: string;
  /** Only sessions created by this API key. */
  createdBy?: string;
}

export interface SessionCounts {
  total: number;
  active: number;
  expiringSoon: number;
}

const LIVE = "s.status = 'active' AND s.expires_at > :now";

/** The largest warning threshold (60 minutes): no live session further from expiry can be due a warning. */
const WARNING_HORIZON_MS = 60 * 60_000;

@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>) {}

  insert(session: SessionEntity): Promise<unknown> {
    return insertRow(this.sessions, session);
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.sessions.findOneBy({ id });
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
      .addSelect(`SUM(CASE WHEN ${LIVE} AND s.expires_at - s.warning_threshold_minutes * 60000 <= :now THEN 1 ELSE 0 END)`, 'expiringSoon')
      .getRawOne<Record<keyof SessionCounts, string | number | null>>();
    return { total: Number(row?.total ?? 0), active: Number(row?.active ?? 0), expiringSoon: Number(row?.expiringSoon ?? 0) };
  }

  /**
   * Records activity and, when `renewTo` is given, moves expiry there — only if that is later than
   * the stored expiry of a live session, so concurrent renewals count once. Returns whether it renewed.
   */
  async recordActivity(id: string, now: number, renewTo?: number): Promise<boolean> {
    if (renewTo !== undefined) {
      const renewed = await this.sessions
        .createQueryBuilder()
        .update()
        .set({ expiresAt: renewTo, lastActivity: now, warnedAt: null, renewalCount: () => 'renewal_count + 1' })
        .where('id = :id AND status = :active AND expires_at > :now AND expires_at < :renewTo', { id, active: 'active', now, renewTo })
        .execute();
      if ((renewed.affected ?? 0) > 0) return true;
    }
    await this.sessions.update({ id }, { lastActivity: now });
    return false;
  }

  updateTimeout(id: string, config: TimeoutConfig, expiresAt: number, now: number): Promise<unknown> {
    return this.sessions.update({ id }, { ...config, expiresAt, lastActivity: now, warnedAt: null });
  }

  /**
   * Live sessions inside their warning window that have not been warned since their last renewal.
   * The range on `expires_at` (thresholds are at most 60 minutes) keeps this on the index.
   */
  findDueWarnings(now: number, limit: number): Promise<SessionEntity[]> {
    return this.sessions
      .createQueryBuilder('s')
      .where("s.status = 'active' AND s.warned_at IS NULL")
      .andWhere('s.expires_at > :now AND s.expires_at <= :horizon', { now, horizon: now + WARNING_HORIZON_MS })
      .andWhere('s.expires_at - s.warning_threshold_minutes * 60000 <= :now')
      .orderBy('s.expires_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /**
   * Marks the warning sent; true only for the one caller that won the row, and only while the row is
   * as it was found — a renewal in between moves `expires_at` and the claim fails.
   */
  async claimWarning(session: Pick<SessionEntity, 'id' | 'expiresAt'>, now: number): Promise<boolean> {
    const result = await this.sessions
      .createQueryBuilder()
      .update()
      .set({ warnedAt: now })
      .where("id = :id AND status = 'active' AND warned_at IS NULL AND expires_at = :expiresAt AND expires_at > :now", { id: session.id, expiresAt: session.expiresAt, now })
      .andWhere('expires_at - warning_threshold_minutes * 60000 <= :now')
      .execute();
    return (result.affected ?? 0) > 0;
  }

  findDueExpiries(now: number, limit: number): Promise<SessionEntity[]> {
    return this.sessions
      .createQueryBuilder('s')
      .where("s.status = 'active' AND s.expires_at <= :now", { now })
      .orderBy('s.expires_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Marks the session expired; true only for the one caller that won the row (a renewal in between wins over it). */
  async claimExpiry(id: string, now: number): Promise<boolean> {
    const result = await this.sessions
      .createQueryBuilder()
      .update()
      .set({ status: 'expired', expiredAt: now })
      .where("id = :id AND status = 'active' AND expires_at <= :now", { id, now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Expired sessions whose retention has run out; `expired_at` can only be later than `expires_at`, so the index range holds them all. */
  findPurgeable(cutoff: number, limit: number): Promise<SessionEntity[]> {
    return this.sessions
      .createQueryBuilder('s')
      .where("s.status = 'expired' AND s.expires_at <= :cutoff AND s.expired_at <= :cutoff", { cutoff })
      .orderBy('s.expires_at', 'ASC')
      .take(limit)
      .getMany();
  }

  private filtered(filter: SessionFilter, now: number): SelectQueryBuilder<SessionEntity> {
    const query = this.sessions.createQueryBuilder('s').where('1 = 1').setParameter('now', now);
    if (filter.agentId !== undefined) query.andWhere('s.agent_id = :agentId', { agentId: filter.agentId });
    if (filter.userId !== undefined) query.andWhere('s.user_id = :userId', { userId: filter.userId });
    if (filter.createdBy !== undefined) query.andWhere('s.created_by = :createdBy', { createdBy: filter.createdBy });
    return query;
  }
}
