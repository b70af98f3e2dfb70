import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import type { WsServerData } from '@switchboard/client';
import { AccessLog, AppConfig, elapsedMs, EventBus, Metrics } from '@switchboard/common';
import { principalLabel, RateLimiter, tokenFromHeaders, wsFrameRules } from '@switchboard/auth';
import { RealtimeAuthService } from '../realtime-auth.service';
import { originAllowed, originOf } from '../origin-policy';
import { perMessageDeflate } from '../realtime-io.adapter';
import { ServerIdentityService } from '../server-identity.service';
import { broadcastView } from '../socket-io.fanout';
import { InstancePeers } from '../instance-peers';
import { ConversationFollowers, SubscribableEvent, WsClient, WsConversationFrame, WsConversationType } from './ws-client';
import { parseEnvelope, toWsError, WsProtocolError } from './ws-envelope';
import { WsDispatcher } from './ws-dispatcher.service';

export const WS_PATH = '/ws';
/** Larger frames close the connection (1009): the biggest request is a batch of chats. */
export const WS_MAX_FRAME_BYTES = 256 * 1024;
const UNAUTHORIZED_CLOSE = 4401;
/** RFC 6455 "Service Restart": the client should reconnect, to another instance. */
const RESTART_CLOSE = 1012;
const CLOSE_GRACE_MS = 1_000;
/** A frame's type is the client's to choose: the log keeps this much of it. */
const LOGGED_TYPE_LENGTH = 100;

/**
 * The plain-WebSocket protocol of seed 003 at `/ws` on the HTTP port. Authenticates at the
 * handshake (Authorization, X-API-KEY, or `?token=` for browsers), pings idle clients and drops
 * the dead ones, and fans domain events out to the clients that asked for them.
 */
@Injectable()
export class WsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WsServer.name);
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WsClient>();
  private readonly followers = new ConversationFollowers();
  private heartbeat: NodeJS.Timeout | undefined;
  private detach: Array<() => void> = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly realtimeAuth: RealtimeAuthService,
    private readonly dispatcher: WsDispatcher,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly identity: ServerIdentityService,
    private readonly peers: InstancePeers,
    private readonly rateLimiter: RateLimiter,
    private readonly metrics: Metrics,
    private readonly log: AccessLog,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, perMessageDeflate: perMessageDeflate(config.wsCompressionThresholdBytes) });
    metrics.countSocketsWith('ws', () => this.clients.size);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname !== WS_PATH) return;
      if (!originAllowed(originOf(request.headers), this.config.corsOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, request));
    });
    this.heartbeat = setInterval(() => this.pingAll(), this.config.wsHeartbeatSeconds * 1000);
    this.heartbeat.unref();
    this.detach = this.subscribeToEvents();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.detach.forEach((off) => off());
    for (const client of this.clients) client.socket.terminate();
    this.wss.close();
  }

  /** The drain: every client is closed with 1012 and cut off if it does not close in time. */
  closeForShutdown(): void {
    for (const client of [...this.clients]) this.disconnect(client, 'Server restarting', RESTART_CLOSE);
  }

  private async accept(socket: WebSocket, request: IncomingMessage): Promise<void> {
    socket.on('error', () => socket.terminate());
    // Frames sent right after `open` may arrive while the token is being checked: hold them.
    const early: Array<[string, boolean]> = [];
    const hold = (raw: RawData, isBinary: boolean) => early.push([raw.toString(), isBinary]);
    socket.on('message', hold);
    const startedAt = performance.now();
    let client: WsClient;
    try {
      const token = tokenFromHeaders(request.headers) ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
      client = new WsClient(socket, await this.realtimeAuth.identify(token, request.socket.remoteAddress), this.followers, this.metrics);
    } catch (error) {
      const refusal = toWsError(error);
      if (refusal.code === 'RATE_LIMIT_EXCEEDED') this.metrics.rateLimitRefused('ws', refusal.context.scope);
      // A refused handshake is UNAUTHORIZED, unless the address is past its failed authentications.
      const code = refusal.code === 'RATE_LIMIT_EXCEEDED' ? refusal.code : 'UNAUTHORIZED';
      socket.send(JSON.stringify({ type: 'error', data: { ...refusal, code }, timestamp: new Date().toISOString() }));
      socket.close(UNAUTHORIZED_CLOSE, 'Unauthorized');
      this.logFrame(undefined, 'connect', code, startedAt);
      return;
    }
    this.logFrame(client, 'connect', 'ok', startedAt);
    this.clients.add(client);
    socket.off('message', hold);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => this.forget(client));
    socket.on('message', (raw, isBinary) => void this.receive(client, raw.toString(), isBinary));
    client.send('connected', { clientId: client.id, entityId: client.identity.entityId, tokenKind: client.identity.principal.kind });
    for (const [raw, isBinary] of early) void this.receive(client, raw, isBinary);
  }

  private async receive(client: WsClient, raw: string, isBinary: boolean): Promise<void> {
    if (!this.clients.has(client)) return;
    const startedAt = performance.now();
    const answered = await this.answer(client, raw, isBinary);
    if (answered) this.logFrame(client, answered.type, answered.outcome, startedAt);
  }

  /** Answers one frame: how it ended, unless the connection ended first. */
  private async answer(client: WsClient, raw: string, isBinary: boolean): Promise<{ type: string; outcome: string } | undefined> {
    client.alive = true;
    // Counted in arrival order; with REDIS_URL in the counters every instance shares.
    const admission = this.rateLimiter.admit(wsFrameRules(client.id)).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );
    let frame: unknown;
    try {
      if (isBinary) throw new Error('binary');
      frame = JSON.parse(raw);
    } catch {
      frame = undefined;
    }
    const request = frame !== null && typeof frame === 'object' ? (frame as { id?: string | number; type?: unknown }) : undefined;
    const type = typeof request?.type === 'string' ? request.type.slice(0, LOGGED_TYPE_LENGTH) : '-';
    const refusal = await admission;
    // The connection may have ended meanwhile (its key revoked): its frames do nothing any more.
    if (!this.clients.has(client)) return undefined;
    if (refusal) return { type, outcome: client.sendError(request, refusal) };
    if (frame === undefined) {
      return { type, outcome: client.sendError(undefined, new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Frames must be JSON text' })) };
    }
    try {
      return { type, outcome: await this.dispatcher.dispatch(client, parseEnvelope(frame)) };
    } catch (error) {
      return { type, outcome: client.sendError(request, error) };
    }
  }

  /** One line per frame, and per handshake (`connect`; a refused one has no client). */
  private logFrame(client: WsClient | undefined, event: string, outcome: string, startedAt: number): void {
    if (!this.log.enabled) return;
    this.log.ws({ socketId: client?.id ?? '-', event, outcome, durationMs: elapsedMs(startedAt), principal: principalLabel(client?.identity.principal) });
  }

  /** Ends a connection now: it handles no more frames, and a peer that ignores the close is cut off. */
  private disconnect(client: WsClient, reason: string, code = UNAUTHORIZED_CLOSE): void {
    this.forget(client);
    client.socket.close(code, reason);
    setTimeout(() => client.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** The client gets no more events and its frames are ignored. */
  private forget(client: WsClient): void {
    this.clients.delete(client);
    client.leave();
  }

  /** Clients that did not answer the last ping are gone: drop them. */
  private pingAll(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.logger.debug(`Dropping unresponsive /ws client ${client.id}`);
        client.socket.terminate();
        this.forget(client);
        continue;
      }
      client.alive = false;
      // Browsers answer the protocol ping unseen; seed 003's clients answer `{type:"ping"}` with `{type:"pong"}`.
      client.socket.ping();
      client.send('ping', {});
    }
  }

  /** The frame's followers on this instance. */
  private toFollowers({ channelId, type, data, except }: WsConversationFrame): void {
    for (const client of this.followers.of(channelId)) if (client.id !== except) client.send(type, data);
  }

  /** The revoked key's clients on this instance. */
  private endClientsOf(keyId: string): void {
    for (const client of this.clients) {
      const { principal } = client.identity;
      const ownerKeyId = principal.kind === 'api-key' ? principal.keyId : principal.issuedBy;
      if (ownerKeyId === keyId) this.disconnect(client, 'API key revoked');
    }
  }

  /**
   * Domain events reach this instance's clients, and, as the Socket.IO rooms do through the Redis
   * adapter, the followers and revoked clients on the other instances (InstancePeers).
   */
  private subscribeToEvents(): Array<() => void> {
    this.peers.on('ws:conversation', (frame) => this.toFollowers(frame));
    this.peers.on('ws:key-revoked', (keyId) => this.endClientsOf(keyId));
    /** `data` is built only when some client, here or on another instance, may follow the conversation, and once. */
    const toConversation = <T extends WsConversationType>(channelId: string, type: T, data: () => WsServerData<T>, except?: string) => {
      if (this.followers.of(channelId).size === 0 && !this.peers.spanInstances) return;
      const frame = { channelId, type, data: data(), except } as WsConversationFrame;
      this.toFollowers(frame);
      this.peers.emit('ws:conversation', frame);
    };
    const toSubscribers = (event: SubscribableEvent, data: Record<string, unknown>) => {
      for (const client of this.clients) if (client.events.has(event)) client.send('event', { eventType: event, ...data });
    };
    return [
      this.events.on('message.created', (event) => toConversation(event.message.channelId, 'message', () => broadcastView(event, this.identity.serverId))),
      this.events.on('channel.typing', ({ channelId, sessionId, entityId, isTyping, origin }) =>
        toConversation(channelId, 'typing', () => ({ conversationId: sessionId ?? channelId, channelId, entityId, userId: entityId, isTyping }), origin),
      ),
      this.events.on('conversation.handoff', ({ channelId, sessionId, ...handoff }) =>
        toConversation(channelId, 'agent_handoff', () => ({ conversationId: sessionId ?? channelId, channelId, ...handoff })),
      ),
      this.events.on('auth.key-revoked', ({ keyId }) => {
        this.endClientsOf(keyId);
        this.peers.emit('ws:key-revoked', keyId);
      }),
      this.events.on('agent.status-changed', (event) => toSubscribers('agent_status', event)),
      this.events.on('agent.emotion-changed', ({ channelId, ...event }) => toSubscribers('emotion_change', { ...event, conversationId: channelId })),
      this.events.on('agent.memory-updated', ({ channelId, ...event }) => toSubscribers('memory_update', { ...event, conversationId: channelId })),
      this.events.on('agent.thought', ({ channelId, ...thought }) => {
        for (const client of this.clients) {
          const wanted = client.thoughtStreams.some((s) => (!s.agentId || s.agentId === thought.agentId) && thought.importance >= s.minImportance);
          if (wanted) client.send('event', { eventType: 'thought', stream: 'thoughts', conversationId: channelId, ...thought });
        }
      }),
    ];
  }
}
