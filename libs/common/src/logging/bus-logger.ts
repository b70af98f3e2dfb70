import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { EventBus } from '../events/event-bus';

/** How a log line names the agent it is about, e.g. `Agent 0190… failed to answer in channel …`. */
const AGENT_MENTION = /\bAgent ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;

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
      const text = String(message);
      const agentId = AGENT_MENTION.exec(text)?.[1];
      this.bus.emit('log.entry', { level: logLevel, context: context || undefined, message: text, timestamp: Date.now(), ...(agentId ? { agentId } : {}) });
    }
  }
}
