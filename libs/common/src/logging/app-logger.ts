import { ConsoleLogger, Injectable, LogLevel } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EventBus } from '../events/event-bus';
import { PINO_LEVEL } from './log-levels';
import { LogSink } from './log-sink';

/** How a log line names the agent it is about, e.g. `Agent 0190… failed to answer in channel …`. */
const AGENT_MENTION = /\bAgent ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/i;

/**
 * Nest's logger for the app: what Nest and our services log becomes a pino line (LogSink), and
 * each entry is also published as `log.entry`, which the realtime layer sends to admin sockets as
 * `logEntry`. ConsoleLogger still reads Nest's arguments (context, stack, params) and the levels.
 */
@Injectable()
export class AppLogger extends ConsoleLogger {
  constructor(
    private readonly sink: LogSink,
    private readonly bus: EventBus,
    config: AppConfig,
  ) {
    super({ logLevels: config.enabledLogLevels });
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    const log = this.sink.pino[PINO_LEVEL[logLevel]].bind(this.sink.pino);
    const fields = { ...(context ? { context } : {}), ...params, ...(typeof errorStack === 'string' ? { stack: errorStack } : {}) };
    for (const message of messages.map((m) => this.resolveMessage(m))) {
      if (message instanceof Error) log({ ...fields, err: message }, message.message);
      else if (typeof message === 'object' && message !== null) log({ ...fields, ...message });
      else log(fields, String(message));
      const text = String(message);
      const agentId = AGENT_MENTION.exec(text)?.[1];
      this.bus.emit('log.entry', { level: logLevel, context: context || undefined, message: text, timestamp: Date.now(), ...(agentId ? { agentId } : {}) });
    }
  }

  /** The stack is a field of the entry's own line. */
  protected override printStackTrace(): void {}
}
