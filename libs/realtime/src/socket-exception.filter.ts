import { ArgumentsHost, Catch, Injectable, Logger, WsExceptionFilter } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { AccessLog, Metrics, RateLimitError, toSwitchboardError } from '@switchboard/common';
import { logSocketFailure } from './socket-event-log';

/**
 * The one filter of Socket.IO events: any failure (a refused payload, scope or room, a domain
 * error, a bug) is answered as `{ok: false, …error envelope}` in the event's ack, or as an
 * `error` event when the client sent none. The socket stays connected.
 */
@Catch()
@Injectable()
export class SocketExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger(SocketExceptionFilter.name);

  constructor(
    private readonly metrics: Metrics,
    private readonly log: AccessLog,
  ) {}

  catch(failure: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const socket = ws.getClient<Socket>();
    const error = toSwitchboardError(failure);
    if (error instanceof RateLimitError) this.metrics.rateLimitRefused('socket.io', error.details.scope);
    if (error.status >= 500) this.logger.error(`Socket ${ws.getPattern()} failed: ${(failure as Error).stack ?? String(failure)}`);
    logSocketFailure(this.log, socket, ws.getPattern(), error.code, failure);
    const envelope = { ok: false as const, ...error.toEnvelope() };
    const ack = host.getArgs().find((arg): arg is (response: typeof envelope) => void => typeof arg === 'function');
    if (ack) ack(envelope);
    else socket.emit('error', envelope);
  }
}
