import { timingSafeEqual } from 'node:crypto';
import { vi } from 'vitest';
import { generateToken, hashesEqual, hashToken } from './token-hash';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('generateToken', () => {
  it.each([
    ['key', /^sb_key_[A-Za-z0-9_-]{43}$/],
    ['sess', /^sb_sess_[A-Za-z0-9_-]{43}$/],
  ] as const)('makes a %s token of 256 random bits behind its prefix', (kind, shape) => {
    expect(generateToken(kind)).toMatch(shape);
  });

  it('never repeats itself', () => {
    const tokens = Array.from({ length: 1000 }, () => generateToken('key'));

    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('hashToken', () => {
  it('is a SHA-256 hex digest that does not contain the token', () => {
    const token = generateToken('key');

    const sut = hashToken(token);

    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(sut).not.toContain(token.slice('sb_key_'.length, 20));
  });

  it('gives the same token the same hash, and two tokens two hashes', () => {
    const [a, b] = [generateToken('key'), generateToken('key')];

    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
  });
});

describe('hashesEqual', () => {
  const secret = 'test-admin-token-0123456789abcdef';

  beforeEach(() => {
    vi.mocked(timingSafeEqual).mockClear();
  });

  it.each([
    ['the same secret', secret, true],
    ['the last character changed', `${secret.slice(0, -1)}e`, false],
    ['the first character changed', `x${secret.slice(1)}`, false],
    ['a prefix of it', secret.slice(0, 10), false],
    ['it with more after it', `${secret}0`, false],
    ['an empty string', '', false],
    ['it in upper case', secret.toUpperCase(), false],
  ])('compares the secret with %s: %s', (_case, candidate, expected) => {
    expect(hashesEqual(hashToken(candidate), hashToken(secret))).toBe(expected);
  });

  it('compares in constant time, on equal-length digests whatever the lengths of the secrets', () => {
    hashesEqual(hashToken('short'), hashToken(secret));

    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0] as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });
});
