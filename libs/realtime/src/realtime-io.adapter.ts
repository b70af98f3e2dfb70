import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig, catchingPublish, RedisConnections } from '@switchboard/common';
import { originAllowed, originOf } from './origin-policy';
import { createPublishingAdapter } from './publishing-redis.adapter';

/**
 * permessage-deflate for frames of at least `threshold` bytes. `ws` (under engine.io and /ws alike)
 * honours the threshold only without context takeover; it also keeps no compression window per socket.
 */
export function perMessageDeflate(threshold: number): { threshold: number; serverNoContextTakeover: true } | false {
  return threshold > 0 ? { threshold, serverNoContextTakeover: true } : false;
}

/** How long a dropped client may come back and get its rooms and missed packets back. */
export const RECOVERY_WINDOW_MS = 2 * 60_000;

/**
 * Socket.IO on the HTTP port at `/socket.io/`, with CORS from config and connection-state recovery
 * on. With REDIS_URL, rooms span instances through the Redis adapter, so N instances act as one;
 * its connections come from RedisConnections, which closes them after the drain.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...(options as ServerOptions),
      cors: { origin: this.config.corsOrigins.length > 0 ? this.config.corsOrigins : false },
      // CORS headers only stop a page reading answers; a WebSocket upgrade has no CORS, so the Origin is checked here.
      allowRequest: (request, callback) => {
        const allowed = originAllowed(originOf(request.headers), this.config.corsOrigins);
        callback(allowed ? null : 'Origin not allowed', allowed);
      },
      perMessageDeflate: perMessageDeflate(this.config.wsCompressionThresholdBytes),
      maxHttpBufferSize: 1_000_000,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    }) as Server;
    if (this.redis.configured) {
      // The adapter publishes without catching; during an outage a broadcast reaches this instance's sockets only.
      const publisher = catchingPublish(this.redis.connection('socket.io-pub', 'publish'));
      const subscriber = this.redis.connection('socket.io-sub', 'subscribe');
      server.adapter(createPublishingAdapter(publisher, subscriber, { key: `${this.config.redisKeyPrefix}:socket.io` }));
    }
    return server;
  }
}
