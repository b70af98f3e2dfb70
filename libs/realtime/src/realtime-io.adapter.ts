import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@switchboard/common';

/** How long a dropped client may come back and get its rooms and missed packets back. */
const RECOVERY_WINDOW_MS = 2 * 60_000;

/** Socket.IO on the HTTP port at `/socket.io/`, with CORS from config and connection-state recovery on. */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...(options as ServerOptions),
      cors: { origin: this.config.corsOrigins.length > 0 ? this.config.corsOrigins : false },
      maxHttpBufferSize: 1_000_000,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    }) as Server;
  }
}
