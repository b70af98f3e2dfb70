import { LOG_DESTINATION } from '@switchboard/common';
import { until } from '@switchboard/testing';
import type { TestingModuleBuilder } from '@nestjs/testing';

/** A pino JSON line, parsed. */
export type LogRecord = Record<string, unknown> & { level: number; time: number; msg?: string; context?: string };

/** Records every line the app's logger writes, instead of process.stdout: the suite reads its own app's logs only. */
export class LogCapture {
  readonly lines: string[] = [];
  private readonly listeners = new Set<() => void>();

  /** The kit's `override` that makes this capture the app's log destination. */
  readonly override = (builder: TestingModuleBuilder) => builder.overrideProvider(LOG_DESTINATION).useValue(this);

  write(line: string): void {
    this.lines.push(line);
    this.listeners.forEach((wake) => wake());
  }

  get text(): string {
    return this.lines.join('');
  }

  records(where: (record: LogRecord) => boolean = () => true): LogRecord[] {
    return this.lines.map((line) => JSON.parse(line) as LogRecord).filter(where);
  }

  /** Resolves with the matching records once `count` have been written; lines are written once a response has gone, so a test waits for them. */
  async waitFor(where: (record: LogRecord) => boolean, count = 1, what = 'a matching log line'): Promise<LogRecord[]> {
    await this.waitUntil(() => this.records(where).length >= count, what);
    return this.records(where);
  }

  /** Resolves once `condition()` holds, checked at each line written. */
  waitUntil(condition: () => boolean, what: string): Promise<void> {
    return until(
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      condition,
      3_000,
      what,
    );
  }
}
