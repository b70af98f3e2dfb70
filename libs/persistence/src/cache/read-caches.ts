import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, Clock, RedisConnections } from '@switchboard/common';
import { databaseKind } from '../data-source-options';
import { LookupCache, LookupCacheOptions } from './lookup-cache';

interface Invalidation {
  cache: string;
  key?: string;
}

/**
 * The instance's caches of rows that rarely change (an API key, an agent, a channel's
 * participants), each named so that a write on one instance forgets the row on every other.
 * A repository that keeps a row invalidates it after each of its writes; the invalidation is
 * published through Redis pub/sub. Whether caches keep anything:
 * - SQLite: yes, it serves one instance;
 * - PostgreSQL with REDIS_URL: only while this instance is subscribed, since an invalidation sent
 *   while it was not is lost: when the subscription drops, every cache is emptied and reads go to
 *   the database until it is back;
 * - PostgreSQL without Redis: no, another instance's writes could not be heard.
 */
@Injectable()
export class ReadCaches {
  private readonly logger = new Logger(ReadCaches.name);
  private readonly caches = new Map<string, LookupCache<unknown>>();
  private readonly channel: string;
  private readonly publisher: Redis | undefined;
  private enabled: boolean;

  constructor(
    config: AppConfig,
    redis: RedisConnections,
    private readonly clock: Clock,
  ) {
    this.channel = `${config.redisKeyPrefix}:cache-invalidations`;
    const singleInstance = databaseKind(config.databaseUrl) === 'sqlite';
    this.enabled = singleInstance;
    if (singleInstance || !redis.configured) return;
    this.publisher = redis.connection('caches-pub', 'publish');
    this.listen(redis.connection('caches-sub', 'subscribe'));
  }

  /** Whether the caches keep what they read now (see above). */
  get keeping(): boolean {
    return this.enabled;
  }

  /** The cache named `name`, made on first use. */
  cache<V>(name: string, options: LookupCacheOptions): LookupCache<V> {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = new LookupCache<unknown>(options, () => this.clock.now());
      cache.setEnabled(this.enabled);
      this.caches.set(name, cache);
    }
    return cache as LookupCache<V>;
  }

  /**
   * Runs a write of rows that cache `name` keeps, then forgets `key` (or all its keys) everywhere,
   * also when the write failed: it may have committed before failing.
   */
  async writing<T>(name: string, key: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      await this.invalidate(name, key);
    }
  }

  /** After a write has committed: forgets `key` of cache `name` (or all its keys) here and on every instance. */
  async invalidate(name: string, key?: string): Promise<void> {
    this.caches.get(name)?.invalidate(key);
    if (!this.publisher) return;
    const invalidation: Invalidation = key === undefined ? { cache: name } : { cache: name, key };
    await this.publisher.publish(this.channel, JSON.stringify(invalidation)).catch((error: Error) => {
      this.logger.error(`Could not tell the other instances to forget ${name}${key === undefined ? '' : ` ${key}`}: ${error.message}; they keep it at most until it expires`);
    });
  }

  private listen(subscriber: Redis): void {
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    // Only a confirmed subscription hears every later invalidation; `ready` comes before it.
    const subscribe = () =>
      subscriber.subscribe(this.channel).then(
        () => this.setEnabled(subscriber.status === 'ready'),
        (error: Error) => this.logger.error(`Redis subscribe: ${error.message}`),
      );
    subscriber.on('ready', () => void subscribe());
    subscriber.on('close', () => this.setEnabled(false));
    if (subscriber.status === 'ready') void subscribe();
  }

  private setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    for (const cache of this.caches.values()) cache.setEnabled(enabled);
  }

  private receive(raw: string): void {
    try {
      const { cache, key } = JSON.parse(raw) as Invalidation;
      this.caches.get(cache)?.invalidate(key);
    } catch (error) {
      this.logger.warn(`Ignoring a cache invalidation: ${(error as Error).message}`);
    }
  }
}
