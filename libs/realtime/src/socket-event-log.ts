import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import type { Socket } from 'socket.io';
import { AccessLog, elapsedMs } from '@switchboard/common';
import { principalLabel } from '@switchboard/auth';
import type { SocketIdentity } from './socket-identity';

/**
 * When each failed event started, keyed by what it threw: SocketExceptionFilter, which every
 * failure reaches (a scope refused by the guard before any interceptor ran too), writes its line.
 */
const failureStartedAt = new WeakMap<object, number>();

/** One line per Socket.IO event: here when it succeeded, in SocketExceptionFilter when it failed. */
@Injectable()
export class SocketEventLogInterceptor implements NestInterceptor {
  constructor(private readonly log: AccessLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.log.enabled) return next.handle();
    const startedAt = performance.now();
    const ws = context.switchToWs();
    return next.handle().pipe(
      tap({
        next: () => logSocketEvent(this.log, ws.getClient<Socket>(), ws.getPattern(), 'ok', startedAt),
        error: (failure: unknown) => {
          if (typeof failure === 'object' && failure !== null) failureStartedAt.set(failure, startedAt);
        },
      }),
    );
  }
}

/** The line of an event that failed with `code`, timed from the interceptor when the failure passed through it. */
export function logSocketFailure(log: AccessLog, socket: Socket, event: string, code: string, failure: unknown): void {
  const startedAt = typeof failure === 'object' && failure !== null ? failureStartedAt.get(failure) : undefined;
  logSocketEvent(log, socket, event, code, startedAt);
}

export function logSocketEvent(log: AccessLog, socket: Socket, event: string, outcome: string, startedAt: number | undefined): void {
  if (!log.enabled) return;
  const identity = (socket.data as { identity?: SocketIdentity } | undefined)?.identity;
  log.socketIo({ socketId: socket.id, event, outcome, durationMs: startedAt === undefined ? undefined : elapsedMs(startedAt), principal: principalLabel(identity?.principal) });
}
