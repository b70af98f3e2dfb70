import { Inject, Injectable } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { PINO_LEVEL } from './log-levels';
import { REDACTED, REDACTED_PATHS } from './log-redaction';
import { prettyLine } from './pretty-line';

/** Where log lines go: process.stdout, unless a test captures them. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
export interface LogDestination {
  write(line: string): unknown;
}

/** The one pino logger of the app: LOG_LEVEL, LOG_FORMAT, the redaction, the destination. */
@Injectable()
export class LogSink {
  readonly pino: Logger;

  constructor(config: AppConfig, @Inject(LOG_DESTINATION) destination: LogDestination) {
    const stream = config.logFormat === 'pretty' ? { write: (line: string) => destination.write(prettyLine(line)) } : destination;
    this.pino = pino({ level: PINO_LEVEL[config.logLevel], redact: { paths: [...REDACTED_PATHS], censor: REDACTED } }, stream);
  }
}
