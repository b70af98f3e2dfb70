import { agentsStillToAnswer, claimableTurn, handBackAfterMs, headOf, isHeld, leaseEnd, TurnState } from './turn-schedule';

const NOW = 1_000_000;
const turn = (messageCreatedAt: number, owner: string | null = null, leaseUntil: number | null = null): TurnState => ({
  messageId: `m${messageCreatedAt}`,
  messageCreatedAt,
  owner,
  leaseUntil,
  attempts: owner === null ? 0 : 1,
});

describe('isHeld', () => {
  it.each<[string, TurnState, boolean]>([
    ['waiting', turn(1), false],
    ['claimed, lease running', turn(1, 'a', NOW + 1), true],
    ['claimed, lease ends now', turn(1, 'a', NOW), false],
    ['claimed, lease over', turn(1, 'a', NOW - 1), false],
  ])('%s → %s', (_case, state, expected) => {
    expect(isHeld(state, NOW)).toBe(expected);
  });
});

describe('headOf', () => {
  it.each<[string, TurnState[], string | null]>([
    ['no turns', [], null],
    ['one turn', [turn(5)], 'm5'],
    ['the oldest stored message, whatever the listing order', [turn(7), turn(3), turn(5)], 'm3'],
  ])('%s → %s', (_case, turns, expected) => {
    expect(headOf(turns)?.messageId ?? null).toBe(expected);
  });
});

describe('claimableTurn', () => {
  it.each<[string, TurnState[], string | null]>([
    ['nothing waits', [], null],
    ['the head waits: claim it', [turn(2), turn(1)], 'm1'],
    ['the head is held: the next one waits for it', [turn(1, 'a', NOW + 10), turn(2)], null],
    ['the head is held by this very worker: still nothing new to claim', [turn(1, 'me', NOW + 10)], null],
    ['the head\'s lease ran out (its instance died): take it over', [turn(1, 'a', NOW - 1), turn(2)], 'm1'],
    ['a later turn is never claimed before the head, even when the head was stored elsewhere', [turn(3), turn(1, 'b', NOW + 5)], null],
  ])('%s → %s', (_case, turns, expected) => {
    expect(claimableTurn(turns, NOW)?.messageId ?? null).toBe(expected);
  });
});

describe('leaseEnd', () => {
  it('ends the lease its length after now', () => {
    expect(leaseEnd(NOW, 35_000)).toBe(NOW + 35_000);
  });
});

describe('agentsStillToAnswer', () => {
  it.each<[string, string[], string[], string[]]>([
    ['first attempt', ['a', 'b'], [], ['a', 'b']],
    ['taken over after a answered', ['a', 'b'], ['a'], ['b']],
    ['every agent answered', ['a', 'b'], ['b', 'a'], []],
  ])('%s', (_case, agents, answered, expected) => {
    expect(agentsStillToAnswer(agents, new Set(answered))).toEqual(expected);
  });
});

describe('handBackAfterMs', () => {
  it.each<[number, number]>([
    [10_000, 8_000],
    [4_000, 3_000],
    [1_000, 750],
    [0, 0],
  ])('grace %i ms → hand back after %i ms', (grace, expected) => {
    expect(handBackAfterMs(grace)).toBe(expected);
  });
});
