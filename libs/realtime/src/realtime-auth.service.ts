import { Injectable } from '@nestjs/common';
import { UnauthorizedError } from '@switchboard/common';
import { AuthFailures, AuthService, grantsAll } from '@switchboard/auth';
import { entityIdOf } from '@switchboard/messaging';
import { SessionsService } from '@switchboard/sessions';
import { SocketIdentity } from './socket-identity';

/** Authenticates a socket handshake with the same tokens, and the same service, as HTTP. */
@Injectable()
export class RealtimeAuthService {
  constructor(
    private readonly auth: AuthService,
    private readonly failures: AuthFailures,
    private readonly sessions: SessionsService,
  ) {}

  /** `address` is the client's, for counting failed authentications (see AuthFailures). */
  async identify(token: string | undefined, address?: string): Promise<SocketIdentity> {
    if (!token) throw new UnauthorizedError('Send a token in the handshake: auth.token, or an Authorization header');
    const principal = await this.auth.resolve(token);
    if (!principal) {
      this.failures.record(address);
      throw new UnauthorizedError('The token is unknown, revoked or expired');
    }
    if (principal.kind === 'session') {
      const session = await this.sessions.findLiveRoom(principal.sessionId, principal);
      return { principal, entityId: session?.userId ?? principal.sessionId, isAdmin: false };
    }
    return { principal, entityId: entityIdOf(principal), isAdmin: grantsAll(principal.scopes, ['admin']) };
  }
}
