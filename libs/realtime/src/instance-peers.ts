import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/common';
import type { SwitchboardServer } from './socket-io.gateway';
import type { WsConversationFrame } from './ws/ws-client';

/** What one instance tells the others directly, beside the Socket.IO rooms the adapter already spans. */
export interface PeerEvents {
  /** A conversation frame for the /ws clients that follow its channel on every other instance. */
  'ws:conversation': (frame: WsConversationFrame) => void;
  /** The /ws clients opened with this key, or a session token it issued, end now. */
  'ws:key-revoked': (keyId: string) => void;
}

/**
 * The other instances of the deployment, reached through the Socket.IO adapter's server-side
 * events: with REDIS_URL, the Redis adapter's own request channel, so no second mechanism. What
 * Socket.IO rooms cannot carry (a /ws connection is no Socket.IO socket) goes this way. An event
 * reaches every other instance once and never this one; without Redis there are no others.
 */
@Injectable()
export class InstancePeers {
  private server: SwitchboardServer | undefined;
  private readonly pending: Array<(server: SwitchboardServer) => void> = [];

  constructor(private readonly config: AppConfig) {}

  /** True when other instances may exist: events are worth publishing. */
  get spanInstances(): boolean {
    return this.config.redisUrl !== undefined;
  }

  /** The gateway's server, once Socket.IO is up; listeners registered before are attached then. */
  bind(server: SwitchboardServer): void {
    this.server = server;
    this.pending.splice(0).forEach((attach) => attach(server));
  }

  emit<E extends keyof PeerEvents>(event: E, ...args: Parameters<PeerEvents[E]>): void {
    if (this.spanInstances) this.server?.serverSideEmit(event, ...args);
  }

  on<E extends keyof PeerEvents>(event: E, listener: PeerEvents[E]): void {
    // Socket.IO's listener type is conditional on reserved event names, which TypeScript cannot narrow for a generic E.
    const attach = (server: SwitchboardServer) => void server.on(event, listener as never);
    if (this.server) attach(this.server);
    else this.pending.push(attach);
  }
}
