import { MessagePage, MessageWindow, messageWindowProblem, ScanOrder, scanOrder, toMessagePage } from './message-cursor';

interface Row {
  id: string;
  createdAt: number;
}

const rows = (...createdAts: number[]): Row[] => createdAts.map((createdAt) => ({ id: `message-${createdAt}`, createdAt }));

describe('scanOrder', () => {
  const sut = scanOrder;

  it.each<[string, ScanOrder, MessageWindow]>([
    ['no cursor: the latest messages', 'newest-first', { limit: 50 }],
    ['before alone: older messages from the cursor down', 'newest-first', { limit: 50, before: 1000 }],
    ['after alone: the messages just after the cursor', 'oldest-first', { limit: 50, after: 1000 }],
    ['after 0 is a cursor too', 'oldest-first', { limit: 50, after: 0 }],
    ['before and after: from before down to after', 'newest-first', { limit: 50, before: 2000, after: 1000 }],
  ])('%s → %s', (_case, expected, window) => {
    expect(sut(window)).toBe(expected);
  });
});

describe('toMessagePage', () => {
  const sut = toMessagePage;

  it.each<[string, MessageWindow, Row[], number[], boolean]>([
    ['newest-first rows within the limit', { limit: 3 }, rows(50, 40, 30), [50, 40, 30], false],
    ['newest-first rows one over the limit', { limit: 3 }, rows(50, 40, 30, 20), [50, 40, 30], true],
    ['newest-first rows from before', { limit: 2, before: 60 }, rows(50, 40, 30), [50, 40], true],
    ['oldest-first rows within the limit', { limit: 3, after: 10 }, rows(20, 30), [30, 20], false],
    ['oldest-first rows exactly at the limit', { limit: 2, after: 10 }, rows(20, 30), [30, 20], false],
    ['oldest-first rows one over the limit', { limit: 3, after: 10 }, rows(20, 30, 40, 50), [40, 30, 20], true],
  ])('%s: newest first, hasMore as the extra row says', (_case, window, scanned, expectedOrder, expectedHasMore) => {
    const page = sut(scanned, window);

    expect(page.messages.map((message) => message.createdAt)).toEqual(expectedOrder);
    expect(page.hasMore).toBe(expectedHasMore);
  });

  it.each<[string, MessageWindow, Row[], MessagePage<Row>['cursors']]>([
    ['a newest-first page points before at its oldest and after at its newest', { limit: 3 }, rows(50, 40, 30, 20), { before: 30, after: 50 }],
    ['an oldest-first page points before at its oldest and after at its newest', { limit: 3, after: 10 }, rows(20, 30, 40, 50), { before: 20, after: 40 }],
    ['an empty page without cursors has none', { limit: 3 }, [], { before: null, after: null }],
    ['an empty page keeps the before cursor it was asked for', { limit: 3, before: 100 }, [], { before: 100, after: null }],
    ['an empty page keeps the after cursor it was asked for', { limit: 3, after: 100 }, [], { before: null, after: 100 }],
    ['an empty page keeps both cursors', { limit: 3, before: 100, after: 10 }, [], { before: 100, after: 10 }],
  ])('%s', (_case, window, scanned, expected) => {
    expect(sut(scanned, window).cursors).toEqual(expected);
  });

  it('answers an empty page with hasMore false', () => {
    expect(sut([], { limit: 50, before: 100 })).toEqual({ messages: [], hasMore: false, cursors: { before: 100, after: null } });
  });
});

describe('messageWindowProblem', () => {
  const sut = messageWindowProblem;

  it.each<[string, MessageWindow]>([
    ['no cursor', { limit: 50 }],
    ['before alone', { limit: 50, before: 1000 }],
    ['after alone', { limit: 50, after: 1000 }],
    ['after below before', { limit: 50, before: 1000, after: 999 }],
  ])('accepts %s', (_case, window) => {
    expect(sut(window)).toBeUndefined();
  });

  it.each<[string, MessageWindow]>([
    ['after equal to before', { limit: 50, before: 1000, after: 1000 }],
    ['after above before', { limit: 50, before: 1000, after: 1001 }],
  ])('rejects %s', (_case, window) => {
    expect(sut(window)).toBe('after must be smaller than before');
  });
});
