import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LogSink } from './log-sink';

export interface HttpRequestLine {
  requestId: string;
  method: string;
  /** The route's pattern (`/api/messaging/sessions/:sessionId`); none when no route matched. */
  route: string | undefined;
  /** As requested, with any credential in its query redacted. */
  url: string;
  status: number;
  durationMs: number;
  principal: string | undefined;
}

export interface SocketEventLine {
  socketId: string;
  /** The Socket.IO event, or the /ws frame's type. */
  event: string;
  /** `ok`, or the error code the client was answered with. */
  outcome: string;
  durationMs: number | undefined;
  principal: string | undefined;
}

/**
 * One line per HTTP request and per socket event, at `log` level (pino's info). Callers build
 * the fields themselves, from values that are never a credential.
 */
@Injectable()
export class AccessLog {
  private readonly pino: Logger;
  /** False below LOG_LEVEL=log: callers then skip the work of building a line. */
  readonly enabled: boolean;

  constructor(sink: LogSink) {
    this.pino = sink.pino;
    this.enabled = sink.pino.isLevelEnabled('info');
  }

  http(line: HttpRequestLine): void {
    this.pino.info({ context: 'Http', ...line }, `${line.method} ${line.route ?? line.url} ${line.status}`);
  }

  socketIo(line: SocketEventLine): void {
    this.pino.info({ context: 'SocketIo', ...line }, `${line.event} ${line.outcome}`);
  }

  ws(line: SocketEventLine): void {
    this.pino.info({ context: 'WebSocket', ...line }, `${line.event} ${line.outcome}`);
  }
}

/** A duration in ms from `performance.now()` marks, to the µs. */
export function elapsedMs(startedAt: number, now = performance.now()): number {
  return Math.round((now - startedAt) * 1000) / 1000;
}
