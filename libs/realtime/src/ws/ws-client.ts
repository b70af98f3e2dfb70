import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { WsServerData, WsServerFrameType } from '@switchboard/client';
import type { Metrics } from '@switchboard/common';
import type { SocketIdentity } from '../socket-identity';
import { toWsError, WsEnvelope, WsErrorCode, WsErrorData } from './ws-envelope';

export const SUBSCRIBABLE_EVENTS = ['agent_status', 'emotion_change', 'memory_update'] as const;
export type SubscribableEvent = (typeof SUBSCRIBABLE_EVENTS)[number];

export interface ThoughtStream {
  agentId?: string;
  minImportance: number;
}

/** The frames a conversation's followers get: its messages, typing and handoffs. */
export type WsConversationType = 'message' | 'typing' | 'agent_handoff';

/** One conversation frame for the followers of `channelId`, but the connection `except` (the one that typed). */
export type WsConversationFrame = { [T in WsConversationType]: { channelId: string; type: T; data: WsServerData<T>; except?: string } }[WsConversationType];

/** Which /ws clients follow each conversation, so an event reaches its followers without a scan of every connection. */
export class ConversationFollowers {
  private readonly byChannel = new Map<string, Set<WsClient>>();

  of(channelId: string): ReadonlySet<WsClient> {
    return this.byChannel.get(channelId) ?? NOBODY;
  }

  /** Conversations with at least one follower. */
  get followed(): number {
    return this.byChannel.size;
  }

  add(channelId: string, client: WsClient): void {
    const followers = this.byChannel.get(channelId) ?? new Set<WsClient>();
    followers.add(client);
    this.byChannel.set(channelId, followers);
  }

  remove(channelId: string, client: WsClient): void {
    const followers = this.byChannel.get(channelId);
    followers?.delete(client);
    if (followers?.size === 0) this.byChannel.delete(channelId);
  }
}

const NOBODY: ReadonlySet<WsClient> = new Set();

/** One /ws connection and what it has asked for. */
export class WsClient {
  readonly id = `ws:${randomUUID()}`;
  alive = true;
  private readonly conversations = new Set<string>();
  private gone = false;
  readonly events = new Set<SubscribableEvent>();
  readonly thoughtStreams: ThoughtStream[] = [];
  /** The conversation this client has with each agent it chatted to without naming one. */
  readonly conversationWithAgent = new Map<string, string>();

  constructor(
    readonly socket: WebSocket,
    readonly identity: SocketIdentity,
    private readonly followers: ConversationFollowers,
    private readonly metrics: Metrics,
  ) {}

  /** From now on the conversation's messages, typing and handoffs reach this client. */
  follow(channelId: string): void {
    if (this.gone) return;
    this.conversations.add(channelId);
    this.followers.add(channelId, this);
  }

  /** The connection is over: it follows nothing any more, even if a request still in flight asks. */
  leave(): void {
    this.gone = true;
    for (const channelId of this.conversations) this.followers.remove(channelId, this);
    this.conversations.clear();
  }

  send<T extends WsServerFrameType>(type: T, data: WsServerData<T>, id?: string | number): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ ...(id !== undefined ? { id } : {}), type, data, timestamp: new Date().toISOString() }));
  }

  /** Answers the request with an `error` frame; returns its code. */
  sendError(request: Pick<WsEnvelope, 'id'> | undefined, error: WsErrorData | unknown): WsErrorCode {
    const data = isErrorData(error) ? error : toWsError(error);
    if (data.code === 'RATE_LIMIT_EXCEEDED') this.metrics.rateLimitRefused('ws', data.context.scope);
    this.send('error', data, request?.id);
    return data.code;
  }
}

function isErrorData(value: unknown): value is WsErrorData {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && 'details' in value && !(value instanceof Error);
}
