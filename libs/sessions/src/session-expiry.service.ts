import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, EventBus } from '@switchboard/common';
import { AuthService } from '@switchboard/auth';
import { MessagingService } from '@switchboard/messaging';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';

const MINUTE_MS = 60_000;

/**
 * What happens to one session as it nears and passes its end. Each step claims the row in the
 * database first, so with several instances exactly one of them acts and announces it.
 */
@Injectable()
export class SessionExpiryService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly messaging: MessagingService,
    private readonly auth: AuthService,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  findDueWarnings(limit: number): Promise<SessionEntity[]> {
    return this.sessions.findDueWarnings(this.clock.now(), limit);
  }

  findDueExpiries(limit: number): Promise<SessionEntity[]> {
    return this.sessions.findDueExpiries(this.clock.now(), limit);
  }

  findPurgeable(limit: number): Promise<SessionEntity[]> {
    return this.sessions.findPurgeable(this.clock.now() - this.config.retentionMinutes * MINUTE_MS, limit);
  }

  /** Returns whether this instance sent the warning. */
  async warn(session: SessionEntity): Promise<boolean> {
    const now = this.clock.now();
    if (!(await this.sessions.claimWarning(session, now))) return false;
    const minutesRemaining = Math.ceil((session.expiresAt - now) / MINUTE_MS);
    this.events.emit('session.expiring', { sessionId: session.id, channelId: session.channelId, expiresAt: session.expiresAt, minutesRemaining });
    return true;
  }

  /**
   * Returns whether this instance expired the session. Tokens are revoked before the claim: that is
   * harmless if another instance wins, and a failure leaves the row due for the next tick.
   */
  async expire(session: SessionEntity): Promise<boolean> {
    const now = this.clock.now();
    await this.auth.revokeSessionTokens([session.id]);
    if (!(await this.sessions.claimExpiry(session.id, now))) return false;
    this.events.emit('session.expired', { sessionId: session.id, channelId: session.channelId, expiredAt: now });
    return true;
  }

  /** Deletes the session with its channel, messages and tokens; false when another instance did. */
  purge(session: SessionEntity): Promise<boolean> {
    return this.messaging.deleteChannel(session.channelId);
  }
}
