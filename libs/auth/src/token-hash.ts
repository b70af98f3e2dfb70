import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'key' | 'sess';

/** 256 random bits, prefixed so a leaked token says what it is (`sb_key_…`, `sb_sess_…`). */
export function generateToken(kind: TokenKind): string {
  return `sb_${kind}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Tokens are random and long, so one SHA-256 is enough to store them unrecoverably and to
 * look them up by hash; no slow password hash is needed.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two token hashes (as `hashToken` returns them) in time independent of where they differ. */
export function hashesEqual(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
