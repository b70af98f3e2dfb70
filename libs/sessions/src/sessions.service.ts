import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  Clock,
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
import { MessagePage, MessageEntity, MessageWindow, MessagingService } from '@switchboard/messaging';
import { SessionEntity } from './session.entity';
import { SessionCounts, SessionFilter, SessionsRepository } from './sessions.repository';
import { CreateSessionDto } from './dto/create-session.dto';
import { SendSessionMessageDto } from './dto/send-session-message.dto';
import { SessionStatusFilter } from './dto/list-sessions-query.dto';
import { timeoutConfigOf } from './dto/session.dto';
import { autoRenewal, expiryAfterActivity, isNearExpiration, isPastExpiry, manualRenewal, resolveTimeoutConfig, SessionTiming } from './timeout-policy';

export interface SentMessage {
  message: MessageEntity;
  created: boolean;
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
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  now(): number {
    return this.clock.now();
  }

  async create(dto: CreateSessionDto, createdBy: string | null = null): Promise<SessionEntity> {
    const agent = await this.agents.get(dto.agentId);
    if (agent.status !== 'active') {
      throw new ConflictError(`Agent ${agent.id} is inactive and takes no new sessions`, { agentId: agent.id, status: agent.status });
    }
    const config = resolveTimeoutConfig(this.config.sessionDefaults, agent.settings.timeoutConfig, dto.timeoutConfig);
    const now = this.clock.now();
    const channel = await this.messaging.createChannel('session', [
      { entityId: dto.userId, kind: 'user' },
      { entityId: agent.id, kind: 'agent' },
    ]);
    const session: SessionEntity = {
      id: randomUUID(),
      agentId: agent.id,
      userId: dto.userId,
      channelId: channel.id,
      status: 'active',
      ...config,
      metadata: dto.metadata ?? {},
      renewalCount: 0,
      createdBy,
      createdAt: now,
      lastActivity: now,
      expiresAt: expiryAfterActivity(now, config, now),
      expiredAt: null,
      warnedAt: null,
    };
    try {
      await this.sessions.insert(session);
    } catch (error) {
      this.logger.error(`Could not store session for agent ${agent.id}: ${(error as Error).message}`);
      await this.messaging.deleteChannel(channel.id);
      throw new SessionCreationError('The session could not be created');
    }
    return session;
  }

  /** The session, or 404 when it does not exist. Expired sessions are returned too. */
  async find(sessionId: string): Promise<SessionEntity> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new SessionNotFoundError(`Session ${sessionId} does not exist`, { sessionId });
    return session;
  }

  /** The session if it is live: 404 when missing, 410 once past its expiry, swept or not. */
  async getLive(sessionId: string): Promise<SessionEntity> {
    const session = await this.find(sessionId);
    if (session.status === 'expired' || isPastExpiry(session.expiresAt, this.clock.now())) {
      throw new SessionExpiredError(`Session ${sessionId} has expired`, { sessionId, expiresAt: toIso(session.expiresAt) });
    }
    return session;
  }

  list(filter: SessionFilter, status: SessionStatusFilter, limit: number, offset: number): Promise<[SessionEntity[], number]> {
    return this.sessions.findPage(filter, status, this.clock.now(), limit, offset);
  }

  counts(filter: SessionFilter = {}): Promise<SessionCounts> {
    return this.sessions.count(filter, this.clock.now());
  }

  async remove(sessionId: string): Promise<void> {
    const session = await this.getLive(sessionId);
    // The channel's cascade removes the session row and every message with it, atomically.
    await this.messaging.deleteChannel(session.channelId);
  }

  async sendMessage(sessionId: string, dto: SendSessionMessageDto): Promise<SentMessage> {
    const session = await this.getLive(sessionId);
    const { message, created } = await this.messaging.appendMessage({
      channelId: session.channelId,
      authorId: session.userId,
      isAgent: false,
      content: dto.content,
      attachments: dto.attachments,
      metadata: dto.metadata,
      clientMessageId: dto.messageId,
    });
    if (!created) return { message, created, session, wasRenewed: false };
    const activity = await this.recordActivity(session);
    return { message, created, ...activity };
  }

  async listMessages(sessionId: string, window: MessageWindow): Promise<MessagePage<MessageEntity>> {
    const session = await this.getLive(sessionId);
    return this.messaging.listMessages(session.channelId, window);
  }

  async heartbeat(sessionId: string): Promise<SessionEntity> {
    return (await this.recordActivity(await this.getLive(sessionId))).session;
  }

  async renew(sessionId: string): Promise<SessionEntity> {
    const session = await this.getLive(sessionId);
    const now = this.clock.now();
    const renewal = manualRenewal(timingOf(session), now);
    if ('refused' in renewal) {
      throw new SessionRenewalError(renewal.refused, {
        sessionId,
        maxDurationMinutes: session.maxDurationMinutes,
        expiresAt: toIso(session.expiresAt),
      });
    }
    const renewed = await this.sessions.recordActivity(session.id, now, renewal.expiresAt);
    return renewed ? { ...session, expiresAt: renewal.expiresAt, lastActivity: now, renewalCount: session.renewalCount + 1, warnedAt: null } : this.find(sessionId);
  }

  async updateTimeout(sessionId: string, patch: Partial<TimeoutConfig>): Promise<SessionEntity> {
    const session = await this.getLive(sessionId);
    const config = resolveTimeoutConfig(timeoutConfigOf(session), patch);
    const now = this.clock.now();
    const expiresAt = expiryAfterActivity(session.createdAt, config, now);
    if (isPastExpiry(expiresAt, now)) {
      throw new InvalidTimeoutConfigError(`maxDurationMinutes ${config.maxDurationMinutes} would end a session that started ${Math.floor((now - session.createdAt) / 60_000)} minutes ago`, {
        maxDurationMinutes: config.maxDurationMinutes,
        createdAt: toIso(session.createdAt),
      });
    }
    await this.sessions.updateTimeout(session.id, config, expiresAt, now);
    return { ...session, ...config, expiresAt, lastActivity: now, warnedAt: null };
  }

  isNearExpiration(session: SessionEntity): boolean {
    return isNearExpiration(session.expiresAt, session.warningThresholdMinutes, this.clock.now());
  }

  /** Activity on a live session: auto-renews when its config says so, capped by the maximum duration. */
  private async recordActivity(session: SessionEntity): Promise<{ session: SessionEntity; wasRenewed: boolean }> {
    const now = this.clock.now();
    const renewTo = autoRenewal(timingOf(session), now);
    const wasRenewed = await this.sessions.recordActivity(session.id, now, renewTo);
    if (!wasRenewed) return { session: { ...session, lastActivity: now }, wasRenewed };
    return { session: { ...session, lastActivity: now, expiresAt: renewTo!, renewalCount: session.renewalCount + 1, warnedAt: null }, wasRenewed };
  }
}

function timingOf(session: SessionEntity): SessionTiming {
  return { createdAt: session.createdAt, expiresAt: session.expiresAt, config: timeoutConfigOf(session) };
}
