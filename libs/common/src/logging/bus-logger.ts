import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { EventBus } from '../events/event-bus';

/**
 * Prints like Nest's console logger and also publishes each entry as `log.entry`, which the
 * realtime layer sends to admin sockets as `logEntry`.
 */
export class BusLogger extends ConsoleLogger {
  constructor(
    private readonly bus: EventBus,
    levels: LogLevel[],
  ) {
    super({ logLevels: levels });
  }

  protected override printMessages(messages: unknown[], context = '', logLevel: LogLevel = 'log', writeStreamType?: 'stdout' | 'stderr'): void {
    super.printMessages(messages, context, logLevel, writeStreamType);
    for (const message of messages) {
      this.bus.emit('log.entry', { level: logLevel, context: context || undefined, message: String(message), timestamp: Date.now() });
    }
  }
}
