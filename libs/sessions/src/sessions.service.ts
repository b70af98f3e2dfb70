import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  Clock,
  EventBus,
  ConflictError,
  InvalidTimeoutConfigError,
  SessionCreationError,
  SessionExpiredError,
  SessionNotFoundError,
  SessionRenewalError,
  TimeoutConfig,
  toIso,
} from '@switchboard/common';
import { AgentsService } from '@switchboard/agents';
import { AuthService, Principal, RateLimiter, requestRules } from '@switchboard/auth';
import { ConversationService, MessagePage, MessageEntity, MessageWindow, MessagingService, PostedMessage, SessionNotLiveError, TurnObserver } from '@switchboard/messaging';
import { SessionEntity } from './session.entity';
import { ActivityRecord, activityRecord, SessionCounts, SessionFilter, SessionsRepository } from './sessions.repository';
import { CreateSessionDto } from './dto/create-session.dto';
import { SendSessionMessageDto } from './dto/send-session-message.dto';
import { SessionStatusFilter } from './dto/list-sessions-query.dto';
import { timeoutConfigOf } from './dto/session.dto';
import { assertCanAccessSession, visibleCreator } from './session-access';
import { autoRenewal, expiryAfterActivity, isNearExpiration, isPastExpiry, manualRenewal, MINUTE_MS, resolveTimeoutConfig, SessionTiming } from './timeout-policy';

/** A session message from any transport: REST, Socket.IO or /ws. */
export type SessionMessageInput = Pick<SendSessionMessageDto, 'content' | 'attachments' | 'metadata' | 'messageId'> & { senderName?: string; source?: string };

export interface CreatedSession {
  session: SessionEntity;
  /** The session token; the only time it is available. */
  token: string;
}

export interface SentMessage extends PostedMessage {
  session: SessionEntity;
  wasRenewed: boolean;
}

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly agents: AgentsService,
    private readonly messaging: MessagingService,
    private readonly conversation: ConversationService,
    private readonly auth: AuthService,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly rateLimiter: RateLimiter,
  ) {
    // A handoff names the session's new agent: sends elsewhere must not go on with the old one.
    events.on('conversation.handoff', ({ sessionId }) => {
      if (sessionId) void this.sessions.forget(sessionId);
    });
  }

  now(): number {
    return this.clock.now();
  }

  async create(dto: CreateSessionDto, actor: Principal): Promise<CreatedSession> {
    const agent = await this.agents.get(dto.agentId);
    await this.rateLimiter.admit(requestRules(this.config.rateLimits, { ownerKeyId: ownerKeyOf(actor), userId: dto.userId, agentIds: [agent.id] }));
    if (agent.status !== 'active') {
      throw new ConflictError(`Agent ${agent.id} is inactive and takes no new sessions`, { agentId: agent.id, status: agent.status });
    }
    const config = resolveTimeoutConfig(this.config.sessionDefaults, agent.settings.timeoutConfig, dto.timeoutConfig);
    const now = this.clock.now();
    const sessionId = randomUUID();
    const channel = await this.messaging.createChannel({
      type: 'session',
      participants: [
        { entityId: dto.userId, kind: 'user' },
        { entityId: agent.id, kind: 'agent' },
      ],
      metadata: { sessionId },
      createdBy: ownerKeyOf(actor),
    });
    const session: SessionEntity = {
      id: sessionId,
      agentId: agent.id,
      userId: dto.userId,
      channelId: channel.id,
      status: 'active',
      ...config,
      metadata: dto.metadata ?? {},
      renewalCount: 0,
      createdBy: ownerKeyOf(actor),
      createdAt: now,
      lastActivity: now,
      expiresAt: expiryAfterActivity(now, config, now),
      expiredAt: null,
      warnedAt: null,
    };
    try {
      await this.sessions.insert(session);
      return { session, token: await this.auth.issueSessionToken(session.id, session.createdBy) };
    } catch (error) {
      this.logger.error(`Could not store session for agent ${agent.id}: ${(error as Error).message}`);
      await this.messaging.deleteChannel(channel.id);
      throw new SessionCreationError('The session could not be created');
    }
  }

  /**
   * The session if the actor may see it and it is live: 404 when missing or not the actor's,
   * 410 once past its expiry, swept or not, and 429 once it, its user or its agent is over a rate
   * limit. Only requests that got that far count against the limits.
   */
  async getLive(sessionId: string, actor: Principal): Promise<SessionEntity> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new SessionNotFoundError(`Session ${sessionId} does not exist`, { sessionId });
    const live = this.liveFor(session, actor);
    await this.admitRequest(session);
    return live;
  }

  /** Seed 004's limits, charged to the key that created the session (see requestRules). */
  private admitRequest(session: SessionEntity): Promise<void> {
    return this.rateLimiter.admit(
      requestRules(this.config.rateLimits, {
        ownerKeyId: session.createdBy,
        userId: session.userId,
        agentIds: [session.agentId],
        conversation: { kind: 'session', id: session.id },
      }),
    );
  }

  /**
   * The live session a realtime room id names (its session id or its channel id), checked for
   * the actor; null when the id names no session. 404 and 410 as on the REST routes.
   */
  async findLiveRoom(roomId: string, actor: Principal): Promise<SessionEntity | null> {
    const session = await this.sessions.findByIdOrChannel(roomId);
    return session ? this.liveFor(session, actor) : null;
  }

  private liveFor(session: SessionEntity, actor: Principal): SessionEntity {
    assertCanAccessSession(actor, session);
    if (session.status === 'expired' || isPastExpiry(session.expiresAt, this.clock.now())) {
      throw new SessionExpiredError(`Session ${session.id} has expired`, { sessionId: session.id, expiresAt: toIso(session.expiresAt) });
    }
    return session;
  }

  /** Sessions the actor may see, narrowed by the filter. */
  list(actor: Principal, filter: SessionFilter, status: SessionStatusFilter, limit: number, offset: number): Promise<[SessionEntity[], number]> {
    return this.sessions.findPage({ ...filter, createdBy: visibleCreator(actor) }, status, this.clock.now(), limit, offset);
  }

  /** Counts over every session, or over those the actor may see when one is given. */
  counts(filter: SessionFilter = {}, actor?: Principal): Promise<SessionCounts> {
    return this.sessions.count(actor ? { ...filter, createdBy: visibleCreator(actor) } : filter, this.clock.now());
  }

  async remove(sessionId: string, actor: Principal): Promise<void> {
    const session = await this.getLive(sessionId, actor);
    // The channel's cascade removes the session row and every message with it, atomically.
    await this.messaging.deleteChannel(session.channelId);
  }

  /**
   * Stores the user's message, has the agent answer it, and counts as activity (auto-renewal). The
   * hot path: the session as known here decides access and limits, and the write itself stores the
   * message only while the session is live and records the activity with it, so a send is one
   * round trip to the database. When the write finds the session not live, a fresh read tells why
   * (404 or 410).
   */
  async sendMessage(sessionId: string, actor: Principal, message: SessionMessageInput, observer?: TurnObserver): Promise<SentMessage> {
    const session = await this.sessions.findKnown(sessionId);
    if (!session) throw new SessionNotFoundError(`Session ${sessionId} does not exist`, { sessionId });
    assertCanAccessSession(actor, session);
    await this.admitRequest(session);
    try {
      return await this.postInLiveSession(session, message, observer);
    } catch (error) {
      if (!(error instanceof SessionNotLiveError)) throw error;
      await this.sessions.forget(sessionId);
      const current = await this.sessions.findById(sessionId);
      if (!current) throw new SessionNotFoundError(`Session ${sessionId} does not exist`, { sessionId });
      throw new SessionExpiredError(`Session ${sessionId} has expired`, { sessionId, expiresAt: toIso(current.expiresAt) });
    }
  }

  private async postInLiveSession(session: SessionEntity, message: SessionMessageInput, observer?: TurnObserver): Promise<SentMessage> {
    const now = this.clock.now();
    const renewTo = autoRenewal(timingOf(session), now);
    const posted = await this.conversation.post(
      {
        channelId: session.channelId,
        authorId: session.userId,
        isAgent: false,
        content: message.content,
        attachments: message.attachments,
        metadata: message.metadata,
        clientMessageId: message.messageId,
        senderName: message.senderName,
        source: message.source ?? 'api',
        sessionId: session.id,
      },
      observer,
      { alsoWrite: [this.sessions.activityStatement(session.id, now, renewTo)], whileSessionLive: { sessionId: session.id, now } },
    );
    // A retried message changed nothing: answer with the session as stored, which another instance may have moved on.
    if (!posted.created) return { ...posted, session: (await this.sessions.findById(session.id)) ?? session, wasRenewed: false };
    // `posted` is this call's own: assigned into rather than spread with new properties, which V8 builds ~25x slower.
    return Object.assign(posted, this.activityApplied(session, now, activityRecord(posted.alsoWritten[0] ?? [], renewTo)));
  }

  async listMessages(sessionId: string, actor: Principal, window: MessageWindow): Promise<MessagePage<MessageEntity>> {
    const session = await this.getLive(sessionId, actor);
    return this.messaging.listMessages(session.channelId, window);
  }

  async heartbeat(sessionId: string, actor: Principal): Promise<SessionEntity> {
    return (await this.recordActivity(await this.getLive(sessionId, actor))).session;
  }

  async renew(sessionId: string, actor: Principal): Promise<SessionEntity> {
    const session = await this.getLive(sessionId, actor);
    const now = this.clock.now();
    const renewal = manualRenewal(timingOf(session), now);
    if ('refused' in renewal) {
      throw new SessionRenewalError(renewal.refused, {
        sessionId,
        maxDurationMinutes: session.maxDurationMinutes,
        expiresAt: toIso(session.expiresAt),
      });
    }
    return (await this.applyActivity(session, now, renewal.expiresAt)).session;
  }

  async updateTimeout(sessionId: string, actor: Principal, patch: Partial<TimeoutConfig>): Promise<SessionEntity> {
    const session = await this.getLive(sessionId, actor);
    const config = resolveTimeoutConfig(timeoutConfigOf(session), patch);
    const now = this.clock.now();
    const expiresAt = expiryAfterActivity(session.createdAt, config, now);
    if (isPastExpiry(expiresAt, now)) {
      throw new InvalidTimeoutConfigError(`maxDurationMinutes ${config.maxDurationMinutes} would end a session that started ${Math.floor((now - session.createdAt) / MINUTE_MS)} minutes ago`, {
        maxDurationMinutes: config.maxDurationMinutes,
        createdAt: toIso(session.createdAt),
      });
    }
    await this.sessions.updateTimeout(session.id, config, expiresAt, now);
    return { ...session, ...config, expiresAt, lastActivity: now, warnedAt: null };
  }

  /** After a handoff the session belongs to the agent that took it over. */
  isNearExpiration(session: SessionEntity): boolean {
    return isNearExpiration(session.expiresAt, session.warningThresholdMinutes, this.clock.now());
  }

  /** Activity on a live session: auto-renews when its config says so, capped by the maximum duration. */
  private recordActivity(session: SessionEntity): Promise<{ session: SessionEntity; wasRenewed: boolean }> {
    const now = this.clock.now();
    return this.applyActivity(session, now, autoRenewal(timingOf(session), now));
  }

  /** Stores the activity (and the renewal, if any) and announces a renewal that took effect. */
  private async applyActivity(session: SessionEntity, now: number, renewTo: number | undefined): Promise<{ session: SessionEntity; wasRenewed: boolean }> {
    return this.activityApplied(session, now, await this.sessions.recordActivity(session.id, now, renewTo));
  }

  /** The session after its activity was stored; a renewal that took effect is announced. */
  private activityApplied(session: SessionEntity, now: number, stored: ActivityRecord | null): { session: SessionEntity; wasRenewed: boolean } {
    if (!stored) throw new SessionNotFoundError(`Session ${session.id} does not exist`, { sessionId: session.id });
    const updated = { ...session, lastActivity: now, expiresAt: stored.expiresAt, renewalCount: stored.renewalCount, warnedAt: stored.warnedAt };
    if (stored.renewed) {
      this.events.emit('session.renewed', { sessionId: session.id, channelId: session.channelId, expiresAt: stored.expiresAt, renewalCount: stored.renewalCount });
    }
    return { session: updated, wasRenewed: stored.renewed };
  }
}

/** The key a new session belongs to; a session token never creates one. */
function ownerKeyOf(actor: Principal): string | null {
  return actor.kind === 'api-key' ? actor.keyId : null;
}

function timingOf(session: SessionEntity): SessionTiming {
  return { createdAt: session.createdAt, expiresAt: session.expiresAt, config: timeoutConfigOf(session) };
}
