import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, EventBus } from '@switchboard/common';
import { AuthService } from '@switchboard/auth';
import { ClaimedSession, SessionsRepository } from './sessions.repository';
import { MINUTE_MS } from './timeout-policy';

/**
 * What happens to sessions as they near and pass their end. Rows are claimed in the database
 * first, a batch per statement, so with several instances exactly one of them acts on each row
 * and announces it.
 */
@Injectable()
export class SessionExpiryService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly auth: AuthService,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  claimDueWarnings(limit: number): Promise<ClaimedSession[]> {
    return this.sessions.claimDueWarnings(this.clock.now(), limit);
  }

  warn(session: ClaimedSession): void {
    const minutesRemaining = Math.ceil((session.expiresAt - this.clock.now()) / MINUTE_MS);
    this.events.emit('session.expiring', { sessionId: session.id, channelId: session.channelId, expiresAt: session.expiresAt, minutesRemaining });
  }

  claimDueExpiries(limit: number): Promise<ClaimedSession[]> {
    return this.sessions.claimDueExpiries(this.clock.now(), limit);
  }

  /**
   * Revokes the tokens of a whole claimed batch in one statement. False when that failed: each
   * session then revokes its own, so one bad row cannot hold back the others.
   */
  async revokeTokensOf(sessions: ClaimedSession[]): Promise<boolean> {
    try {
      await this.auth.revokeSessionTokens(sessions.map((session) => session.id));
      return true;
    } catch {
      return false;
    }
  }

  /** Revokes the claimed session's tokens (unless its batch already did), then announces the expiry. */
  async expire(session: ClaimedSession, tokensRevoked: boolean): Promise<void> {
    if (!tokensRevoked) await this.auth.revokeSessionTokens([session.id]);
    this.events.emit('session.expired', { sessionId: session.id, channelId: session.channelId, expiredAt: this.clock.now() });
  }

  /** Hands back an expiry that could not be completed, for the next sweep. */
  releaseExpiry(session: ClaimedSession): Promise<void> {
    return this.sessions.releaseExpiry(session.id);
  }

  /** Deletes a batch of sessions past retention with their channels, messages and tokens. */
  purgeBatch(limit: number): Promise<number> {
    return this.sessions.purgeExpiredBefore(this.clock.now() - this.config.retentionMinutes * MINUTE_MS, limit);
  }
}
