import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, RedisConnections } from '@switchboard/common';
import { TurnProgress } from './turn-progress';

type RelayMessage = { type: 'progress'; progress: TurnProgress } | { type: 'work'; channelId: string };

/**
 * Tells the other instances about turns, through Redis pub/sub when REDIS_URL is set: the progress
 * of a turn whose waiter may be elsewhere, and channels with work nobody holds (a turn handed
 * back). At most once: what is lost here the turn sweep catches. Without Redis it does nothing.
 */
@Injectable()
export class TurnRelay {
  private readonly logger = new Logger(TurnRelay.name);
  private readonly channel: string;
  private readonly publisher: Redis | undefined;
  private readonly subscriber: Redis | undefined;
  private progressHandler: (progress: TurnProgress) => void = () => undefined;
  private workHandler: (channelId: string) => void = () => undefined;

  constructor(config: AppConfig, redis: RedisConnections) {
    this.channel = `${config.redisKeyPrefix}:turns`;
    if (!redis.configured) return;
    this.publisher = redis.connection('turns-pub', 'publish');
    this.subscriber = redis.connection('turns-sub', 'subscribe');
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    void this.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.error(`Redis subscribe: ${error.message}`));
  }

  get spansInstances(): boolean {
    return this.publisher !== undefined;
  }

  onProgress(handler: (progress: TurnProgress) => void): void {
    this.progressHandler = handler;
  }

  onWork(handler: (channelId: string) => void): void {
    this.workHandler = handler;
  }

  publishProgress(progress: TurnProgress): void {
    this.publish({ type: 'progress', progress });
  }

  publishWork(channelId: string): void {
    this.publish({ type: 'work', channelId });
  }

  private publish(message: RelayMessage): void {
    this.publisher?.publish(this.channel, JSON.stringify(message)).catch((error: Error) => this.logger.warn(`Redis publish: ${error.message}`));
  }

  private receive(raw: string): void {
    try {
      const message = JSON.parse(raw) as RelayMessage;
      if (message.type === 'progress') this.progressHandler(message.progress);
      else this.workHandler(message.channelId);
    } catch (error) {
      this.logger.warn(`Ignoring a turn relay message: ${(error as Error).message}`);
    }
  }
}
