import { Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '@switchboard/common';
import { ApiKeysRepository } from './api-keys.repository';
import { Principal } from './principal';
import { SCOPES, SESSION_TOKEN_SCOPES } from './scopes';
import { SessionTokensRepository } from './session-tokens.repository';
import { generateToken, hashesEqual, hashToken } from './token-hash';

/** How stale `lastUsedAt` may get before a request writes it again: keeps auth to one read per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class AuthService {
  /** Hashed once: every request compares against it. */
  private readonly adminTokenHash: string | undefined;

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sessionTokens: SessionTokensRepository,
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.adminTokenHash = config.adminToken ? hashToken(config.adminToken) : undefined;
  }

  /** The principal a bearer token stands for, or null when it is unknown, revoked or expired. */
  async resolve(token: string): Promise<Principal | null> {
    const tokenHash = hashToken(token);
    if (this.adminTokenHash && hashesEqual(tokenHash, this.adminTokenHash)) {
      return { kind: 'api-key', keyId: null, name: 'SWITCHBOARD_ADMIN_TOKEN', scopes: SCOPES };
    }
    if (token.startsWith('sb_sess_')) {
      const sessionToken = await this.sessionTokens.findByHash(tokenHash);
      return sessionToken ? { kind: 'session', sessionId: sessionToken.sessionId, issuedBy: sessionToken.issuedBy, scopes: SESSION_TOKEN_SCOPES } : null;
    }
    const key = await this.keys.findActiveByHash(tokenHash);
    const now = this.clock.now();
    if (!key || (key.expiresAt !== null && key.expiresAt <= now)) return null;
    if (key.lastUsedAt === null || now - key.lastUsedAt >= LAST_USED_RESOLUTION_MS) await this.keys.markUsed(key, now);
    return { kind: 'api-key', keyId: key.id, name: key.name, scopes: key.scopes };
  }

  /** A new token valid for this session only, revoked with the key that created the session; returned once, stored hashed. */
  async issueSessionToken(sessionId: string, issuedBy: string | null): Promise<string> {
    const token = generateToken('sess');
    await this.sessionTokens.insert({ tokenHash: hashToken(token), sessionId, issuedBy, createdAt: this.clock.now() });
    return token;
  }

  revokeSessionTokens(sessionIds: string[]): Promise<void> {
    return this.sessionTokens.deleteForSessions(sessionIds);
  }
}
