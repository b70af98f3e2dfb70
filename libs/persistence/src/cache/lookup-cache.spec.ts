import { LookupCache } from './lookup-cache';

/** A read that answers when the test says so, counting how often the store was asked. */
function store<V>(value: V | null) {
  const pending: Array<(value: V | null) => void> = [];
  const read = vi.fn(() => new Promise<V | null>((resolve) => pending.push(resolve)));
  return { read, answer: (answer: V | null = value) => pending.shift()?.(answer) };
}

describe('LookupCache', () => {
  let now: number;
  let sut: LookupCache<string>;

  beforeEach(() => {
    now = 1_000;
    sut = new LookupCache<string>({ ttlMs: 100, maxEntries: 2 }, () => now);
  });

  const read = (value: string | null) => vi.fn(async () => value);

  it('reads the store once, then answers from memory', async () => {
    const first = read('row');
    expect(await sut.get('k', first)).toBe('row');
    expect(await sut.get('k', read('other'))).toBe('row');
    expect(first).toHaveBeenCalledTimes(1);
  });

  it('never keeps "not found": a row stored later is seen at once', async () => {
    expect(await sut.get('k', read(null))).toBeNull();
    expect(await sut.get('k', read('created'))).toBe('created');
  });

  it('reads again once the time to live is over', async () => {
    await sut.get('k', read('old'));
    now += 99;
    expect(await sut.get('k', read('new'))).toBe('old');
    now += 1;
    expect(await sut.get('k', read('new'))).toBe('new');
  });

  it('forgets one key, or every key', async () => {
    await sut.get('a', read('a1'));
    await sut.get('b', read('b1'));
    sut.invalidate('a');
    expect(await sut.get('a', read('a2'))).toBe('a2');
    expect(await sut.get('b', read('b2'))).toBe('b1');
    sut.invalidate();
    expect(await sut.get('b', read('b3'))).toBe('b3');
  });

  it('does not keep a read that an invalidation overtook: the value from before a revoke never outlives it', async () => {
    const slow = store('before the revoke');
    const answered = sut.get('k', slow.read);
    sut.invalidate('k');
    slow.answer();
    expect(await answered).toBe('before the revoke');
    expect(await sut.get('k', read('after the revoke'))).toBe('after the revoke');
  });

  it('shares one read among concurrent misses of a key, but not with lookups after an invalidation', async () => {
    const slow = store('v1');
    const first = sut.get('k', slow.read);
    const second = sut.get('k', slow.read);
    expect(slow.read).toHaveBeenCalledTimes(1);
    sut.invalidate('k');
    const third = sut.get('k', slow.read);
    expect(slow.read).toHaveBeenCalledTimes(2);
    slow.answer('v1');
    slow.answer('v2');
    expect(await Promise.all([first, second, third])).toEqual(['v1', 'v1', 'v2']);
  });

  it('while disabled, reads the store every time and keeps nothing', async () => {
    await sut.get('k', read('kept'));
    sut.setEnabled(false);
    expect(await sut.get('k', read('fresh'))).toBe('fresh');
    sut.setEnabled(true);
    const again = read('after');
    expect(await sut.get('k', again)).toBe('after');
    expect(again).toHaveBeenCalledTimes(1);
  });

  it('drops the oldest key past maxEntries', async () => {
    await sut.get('a', read('a'));
    await sut.get('b', read('b'));
    await sut.get('c', read('c'));
    expect(await sut.get('a', read('a again'))).toBe('a again');
    expect(await sut.get('c', read('c again'))).toBe('c');
  });

  it('a failed read is the caller’s error and leaves nothing behind', async () => {
    await expect(sut.get('k', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await sut.get('k', read('later'))).toBe('later');
  });
});
