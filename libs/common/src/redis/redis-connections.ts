import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * What a connection is for decides what its commands do while Redis is away:
 * - `request`: someone waits for the answer (a rate count, a readiness ping), so a command fails at
 *   once while the connection is down, and the caller decides (rate limits pass, readiness fails);
 * - `publish`: at-most-once fan-out, queued while (re)connecting and rejected after one failed
 *   reconnection; callers catch, or wrap the connection with `catchingPublish`. The publishes of one
 *   turn of the event loop go out in one write (a send publishes a dozen broadcasts);
 * - `subscribe`: subscriptions wait for Redis however long it is away and are renewed on reconnect,
 *   so they never reject.
 */
export type RedisUse = 'request' | 'publish' | 'subscribe';

const OPTIONS: Record<RedisUse, RedisOptions> = {
  request: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  publish: { enableOfflineQueue: true, maxRetriesPerRequest: 1, enableAutoPipelining: true },
  subscribe: { enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true },
};

/**
 * Every Redis connection of the instance (REDIS_URL), made here with the options of its use and
 * named after what it serves (`CLIENT LIST` shows `<REDIS_KEY_PREFIX>:<name>`). An outage is logged
 * once when it starts and once when it ends, never thrown. The connections close at shutdown,
 * after the drain, which may still publish.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly connections = new Map<string, Redis>();

  constructor(private readonly config: AppConfig) {}

  /** Whether REDIS_URL is set: without it nothing spans instances and no connection is made. */
  get configured(): boolean {
    return this.config.redisUrl !== undefined;
  }

  /** The connection named `name`, made on first use; the same one for every later caller. */
  connection(name: string, use: RedisUse): Redis {
    const url = this.config.redisUrl;
    if (!url) throw new Error('No REDIS_URL: ask RedisConnections.configured first');
    const existing = this.connections.get(name);
    if (existing) return existing;
    const connection = new Redis(url, { ...OPTIONS[use], connectionName: `${this.config.redisKeyPrefix}:${name}` });
    this.reportOutages(name, connection);
    this.connections.set(name, connection);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    const connections = [...this.connections.values()];
    this.connections.clear();
    // Publishes of the last turn of the event loop (a drain's handed-back turns) go out before the QUIT.
    await new Promise((resolve) => setImmediate(resolve));
    // A connection waiting for Redis would hold a QUIT in its queue until Redis is back: drop it instead.
    await Promise.all(connections.map((connection) => (connection.status === 'ready' ? connection.quit().then(() => undefined, () => connection.disconnect()) : connection.disconnect())));
  }

  private reportOutages(name: string, connection: Redis): void {
    let failing = false;
    connection.on('error', (error: Error) => {
      if (failing) return;
      failing = true;
      this.logger.error(`Connection ${name} does not reach Redis: ${error.message}; retrying until it answers`);
    });
    connection.on('ready', () => {
      if (!failing) return;
      failing = false;
      this.logger.log(`Connection ${name} answers again`);
    });
  }
}

/**
 * The connection, with `publish` never rejecting: for a library that publishes without catching
 * (the Socket.IO Redis adapter), where a failed publish during an outage would be an unhandled
 * rejection. A lost publish is what at-most-once fan-out allows.
 */
export function catchingPublish(connection: Redis, onFailure: (error: Error) => void = () => undefined): Redis {
  const publish = connection.publish.bind(connection) as (channel: string | Buffer, message: string | Buffer) => Promise<number>;
  return Object.assign(connection, {
    publish: (channel: string | Buffer, message: string | Buffer) =>
      publish(channel, message).catch((error: Error) => {
        onFailure(error);
        return 0;
      }),
  });
}
