export interface LookupCacheOptions {
  /** How long a value is kept when no invalidation comes: the bound on staleness if one is lost. */
  ttlMs: number;
  /** Past this many keys the oldest go first. */
  maxEntries: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Values read from the store, kept in memory until their key is invalidated or their time is up.
 * A read that an invalidation overtook is returned but not kept, so a value read before a revoke
 * committed never outlives the revoke's invalidation. `null` (not found) is never kept: a row
 * created later must be seen at once. While disabled every lookup reads the store.
 */
export class LookupCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly reading = new Map<string, Promise<V | null>>();
  private epoch = 0;
  private enabled = true;

  constructor(
    private readonly options: LookupCacheOptions,
    private readonly now: () => number,
  ) {}

  /** The value of `key`, read with `read` when it is not kept; concurrent misses of one key share one read. */
  get(key: string, read: () => Promise<V | null>): Promise<V | null> {
    if (!this.enabled) return read();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return Promise.resolve(entry.value);
    return this.reading.get(key) ?? this.readAndKeep(key, read);
  }

  /** Forgets `key`, or every key. */
  invalidate(key?: string): void {
    this.epoch++;
    this.reading.clear();
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }

  /** Off, nothing is kept and every lookup reads the store; on or off, what was kept is forgotten. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.invalidate();
  }

  private async readAndKeep(key: string, read: () => Promise<V | null>): Promise<V | null> {
    const epoch = this.epoch;
    const reading = read();
    this.reading.set(key, reading);
    try {
      const value = await reading;
      if (value !== null && this.enabled && epoch === this.epoch) this.keep(key, value);
      return value;
    } finally {
      if (this.reading.get(key) === reading) this.reading.delete(key);
    }
  }

  private keep(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
