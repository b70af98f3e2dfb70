import { parseRetryAfter, retryDelayMs, RetryOptions, shouldRetry } from './retry-policy';

const options: RetryOptions = { retries: 5, baseDelayMs: 100, maxDelayMs: 5_000 };

describe('retryDelayMs', () => {
  it.each([
    { attempt: 0, random: 0, retryAfter: undefined, expected: 50 },
    { attempt: 0, random: 0.999_999, retryAfter: undefined, expected: 100 },
    { attempt: 1, random: 0, retryAfter: undefined, expected: 100 },
    { attempt: 3, random: 0.5, retryAfter: undefined, expected: 600 },
    { attempt: 10, random: 0, retryAfter: undefined, expected: 2_500 },
    { attempt: 10, random: 0.999_999, retryAfter: undefined, expected: 5_000 },
    { attempt: 0, random: 0, retryAfter: 2_000, expected: 2_000 },
    { attempt: 5, random: 1, retryAfter: 10, expected: 3_200 },
    { attempt: 0, random: 0, retryAfter: 60_000, expected: 60_000 },
  ])('attempt $attempt, random $random, Retry-After $retryAfter ms → $expected ms', ({ attempt, random, retryAfter, expected }) => {
    expect(retryDelayMs(attempt, options, random, retryAfter)).toBeCloseTo(expected, 0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 9, 0, 0);

  it.each([
    { header: '7', expected: 7_000 },
    { header: ' 0 ', expected: 0 },
    { header: 'Thu, 01 Jan 2026 09:00:30 GMT', expected: 30_000 },
    { header: 'Thu, 01 Jan 2026 08:00:00 GMT', expected: 0 },
    { header: 'soon', expected: undefined },
    { header: null, expected: undefined },
    { header: '', expected: undefined },
  ])('$header → $expected', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('shouldRetry', () => {
  it.each([
    { outcome: { kind: 'network-error' } as const, idempotent: true, expected: true },
    { outcome: { kind: 'network-error' } as const, idempotent: false, expected: false },
    { outcome: { kind: 'response', status: 429 } as const, idempotent: false, expected: true },
    { outcome: { kind: 'response', status: 503 } as const, idempotent: true, expected: true },
    { outcome: { kind: 'response', status: 500 } as const, idempotent: false, expected: false },
    { outcome: { kind: 'response', status: 501 } as const, idempotent: true, expected: false },
    { outcome: { kind: 'response', status: 408 } as const, idempotent: true, expected: true },
    { outcome: { kind: 'response', status: 404 } as const, idempotent: true, expected: false },
    { outcome: { kind: 'response', status: 410 } as const, idempotent: true, expected: false },
    { outcome: { kind: 'response', status: 400 } as const, idempotent: true, expected: false },
  ])('$outcome.kind $outcome.status, idempotent $idempotent → $expected', ({ outcome, idempotent, expected }) => {
    expect(shouldRetry(outcome, idempotent)).toBe(expected);
  });
});
