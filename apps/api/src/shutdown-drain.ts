import type { Server } from 'node:http';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig, DrainState } from '@switchboard/common';
import { handBackAfterMs, TurnRunner } from '@switchboard/messaging';
import { SocketIoGateway, WsServer } from '@switchboard/realtime';

/** What is left of the grace for closing connections once running turns are done or handed back. */
const CLOSE_MARGIN_MS = 250;

/**
 * The drain on SIGTERM, within SHUTDOWN_GRACE_SECONDS: `/readyz` turns 503, the listener closes
 * (idle keep-alive connections with it; busy ones close after their response), sockets are told
 * to reconnect (Socket.IO disconnect, `/ws` 1012), running turns finish or are handed back, and
 * what is still open at the deadline (a half-sent request) is cut. Nest then closes the rest.
 * A close without a signal (tests' teardown) hands running turns back at once.
 */
@Injectable()
export class ShutdownDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownDrain.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly state: DrainState,
    private readonly turns: TurnRunner,
    private readonly socketIo: SocketIoGateway,
    private readonly ws: WsServer,
    private readonly config: AppConfig,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!signal) {
      await this.turns.drain(0);
      return;
    }
    const graceMs = this.config.shutdownGraceSeconds * 1000;
    const deadline = Date.now() + graceMs;
    this.logger.log(`${signal}: draining for at most ${this.config.shutdownGraceSeconds} s`);
    this.state.begin();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.socketIo.disconnectForShutdown();
    this.ws.closeForShutdown();
    await this.turns.drain(handBackAfterMs(graceMs));
    const cutAt = setTimeout(() => server.closeAllConnections(), Math.max(0, deadline - Date.now() - CLOSE_MARGIN_MS));
    await closed;
    clearTimeout(cutAt);
    this.logger.log('Drained');
  }
}
