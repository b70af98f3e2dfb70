import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, Clock, EventBus, NotFoundError, ValidationError } from '@switchboard/common';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { SessionTokensRepository } from './session-tokens.repository';
import { Scope } from './scopes';
import { generateToken, hashToken } from './token-hash';

export interface CreatedApiKey {
  key: ApiKeyEntity;
  /** The only time the token is ever available. */
  token: string;
}

@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sessionTokens: SessionTokensRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /**
   * A start with no usable key (none yet, or every one revoked or expired) and no
   * SWITCHBOARD_ADMIN_TOKEN: create an admin key and print it once, on stdout rather than through
   * the logger, so that log shipping never carries it.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken || (await this.keys.countUsable(this.clock.now())) > 0) return;
    const { token } = await this.create('bootstrap-admin', ['admin']);
    process.stdout.write(
      [
        '',
        '================================================================================',
        ' Switchboard created an admin API key. It is shown only this once; store it now:',
        '',
        `   ${token}`,
        '',
        ' Use it as "Authorization: Bearer <key>" (Swagger UI: the Authorize button).',
        '================================================================================',
        '',
      ].join('\n') + '\n',
    );
  }

  async create(name: string, scopes: Scope[], expiresAt?: number): Promise<CreatedApiKey> {
    const now = this.clock.now();
    if (expiresAt !== undefined && expiresAt <= now) {
      throw new ValidationError('expiresAt must be in the future', { expiresAt: new Date(expiresAt).toISOString() });
    }
    const token = generateToken('key');
    const key: ApiKeyEntity = {
      id: randomUUID(),
      name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, 12),
      scopes: [...new Set(scopes)],
      createdAt: now,
      lastUsedAt: null,
      expiresAt: expiresAt ?? null,
      revokedAt: null,
    };
    await this.keys.insert(key);
    return { key, token };
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.findAll();
  }

  /** Revokes the key and every session token it issued; its sockets, and those of its session tokens, are dropped. */
  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id, this.clock.now()))) {
      throw new NotFoundError(`API key ${id} does not exist or is already revoked`, { keyId: id });
    }
    // The key's sessions go on (their owner may still read them with another key), but nobody it handed a token to does.
    await this.sessionTokens.deleteIssuedBy(id);
    this.events.emit('auth.key-revoked', { keyId: id });
  }
}
