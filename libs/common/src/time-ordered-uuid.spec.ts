import { isUUID } from 'class-validator';
import { timeOrderedUuid } from './time-ordered-uuid';

describe('timeOrderedUuid', () => {
  it('is an RFC 9562 version 7 UUID carrying the time in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 30, 3, 20);

    const sut = timeOrderedUuid(now);

    expect(isUUID(sut, 7)).toBe(true);
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(sut.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it.each([
    ['one millisecond apart', 1],
    ['a second apart', 1_000],
    ['a year apart', 365 * 24 * 3_600_000],
  ])('sorts ids made %s in the order they were made', (_, gap) => {
    const start = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 100 }, (_, i) => timeOrderedUuid(start + i * gap));

    expect([...ids].sort()).toEqual(ids);
  });

  it('never repeats itself within one millisecond, across refills of its random pool', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedUuid(1_700_000_000_000));

    expect(new Set(ids).size).toBe(ids.length);
  });
});
