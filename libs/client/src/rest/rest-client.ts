import { SwitchboardApiError, SwitchboardNetworkError } from '../errors.js';
import type { ErrorEnvelope } from '../realtime/socket-events.js';
import { newMessageId, sleep } from '../ids.js';
import { DEFAULT_RETRY, parseRetryAfter, retryDelayMs, RetryOptions, shouldRetry } from '../retry-policy.js';
import { readEventStream } from './event-stream.js';
import { BodyOf, QueryOf, REST_OPERATIONS, ResponseOf, RestMethod } from './operations.js';

export interface RestClientOptions {
  /** Where Switchboard is, e.g. `https://switchboard.internal` (no trailing path). */
  baseUrl: string;
  /** An API key (services) or a session token (browsers: it only works for its own session). */
  token?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  retry?: Partial<RetryOptions>;
  /** How to wait between retries; tests move a fake clock here. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ n < 1, for the jitter. */
  random?: () => number;
  /** Told before each retry. */
  onRetry?: (retry: RetryNotice) => void;
}

export interface RetryNotice {
  method: RestMethod;
  attempt: number;
  delayMs: number;
  reason: string;
}

interface CallParts {
  path?: Record<string, string>;
  query?: object;
  body?: unknown;
  accept?: string;
}

type SendBody = BodyOf<'sendMessage'>;
export type SentMessage = ResponseOf<'sendMessage'>;

export interface StreamedReply {
  messageId: string;
  agentId: string;
  text: string;
  thought: string | null;
  actions: string[];
}

export interface ReplyChunk {
  messageId: string;
  agentId: string;
  chunk: string;
  index: number;
}

export interface StreamedSend {
  /** The stored user message. */
  message: SentMessage;
  replies: StreamedReply[];
  /** Turns that failed (AgentReplyError). */
  errors: Array<{ error: string; code?: string; message?: string }>;
}

/**
 * A typed method for every REST route (see REST_OPERATIONS). Failures throw SwitchboardApiError
 * (with the server's envelope) or SwitchboardNetworkError. A 429 is retried after `Retry-After`;
 * a network error or a 5xx is retried, with exponential backoff and jitter, on calls that are safe to
 * repeat — sends are, because each carries a client `messageId` the server stores once.
 */
export class RestClient {
  private readonly baseUrl: string;
  private readonly retry: RetryOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(readonly options: RestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
  }

  /** The same client speaking with another token (e.g. a session's own). */
  withToken(token: string): RestClient {
    return new RestClient({ ...this.options, token });
  }

  live = () => this.call('live', {});
  ready = () => this.call('ready', {});
  asyncApi = () => this.call('asyncApi', {});
  /** The Prometheus text exposition (a token holding `metrics:read`). */
  metrics = async () => (await this.fetchWithRetry('metrics', { accept: 'text/plain' })).text();

  createApiKey = (body: BodyOf<'createApiKey'>) => this.call('createApiKey', { body });
  listApiKeys = () => this.call('listApiKeys', {});
  revokeApiKey = (keyId: string) => this.call('revokeApiKey', { path: { keyId } });

  createAgent = (body: BodyOf<'createAgent'>) => this.call('createAgent', { body });
  listAgents = (query: QueryOf<'listAgents'> = {}) => this.call('listAgents', { query });
  getAgent = (agentId: string) => this.call('getAgent', { path: { agentId } });
  updateAgent = (agentId: string, body: BodyOf<'updateAgent'>) => this.call('updateAgent', { path: { agentId }, body });
  deleteAgent = (agentId: string) => this.call('deleteAgent', { path: { agentId } });
  listAgentCommands = (agentId: string, query: QueryOf<'listAgentCommands'> = {}) => this.call('listAgentCommands', { path: { agentId }, query });
  getAgentCommand = (agentId: string, commandId: string) => this.call('getAgentCommand', { path: { agentId, commandId } });

  createChannel = (body: BodyOf<'createChannel'>) => this.call('createChannel', { body });
  getChannel = (channelId: string) => this.call('getChannel', { path: { channelId } });
  listChannelMessages = (channelId: string, query: QueryOf<'listChannelMessages'> = {}) => this.call('listChannelMessages', { path: { channelId }, query });
  postChannelMessage = (channelId: string, body: BodyOf<'postChannelMessage'>) => this.call('postChannelMessage', { path: { channelId }, body });

  sessionsHealth = () => this.call('sessionsHealth', {});
  createSession = (body: BodyOf<'createSession'>) => this.call('createSession', { body });
  listSessions = (query: QueryOf<'listSessions'> = {}) => this.call('listSessions', { query });
  getSession = (sessionId: string) => this.call('getSession', { path: { sessionId } });
  deleteSession = (sessionId: string) => this.call('deleteSession', { path: { sessionId } });
  listMessages = (sessionId: string, query: QueryOf<'listMessages'> = {}) => this.call('listMessages', { path: { sessionId }, query });
  renewSession = (sessionId: string) => this.call('renewSession', { path: { sessionId } });
  updateSessionTimeout = (sessionId: string, body: BodyOf<'updateSessionTimeout'>) => this.call('updateSessionTimeout', { path: { sessionId }, body });
  heartbeat = (sessionId: string) => this.call('heartbeat', { path: { sessionId } });

  /** Sends a message; a `messageId` is added when absent, so every retry is the same message. */
  sendMessage = (sessionId: string, body: SendBody) => this.call('sendMessage', { path: { sessionId }, body: { ...body, messageId: body.messageId ?? newMessageId() } });

  /**
   * Sends in stream mode and reads the agent's reply as it is produced (Server-Sent Events):
   * `onChunk` gets each piece; resolves with the stored message and the whole replies.
   */
  async streamMessage(sessionId: string, body: Omit<SendBody, 'mode' | 'transport'>, onChunk: (chunk: ReplyChunk) => void = () => {}): Promise<StreamedSend> {
    const request = { ...body, messageId: body.messageId ?? newMessageId(), mode: 'stream' as const };
    const response = await this.fetchWithRetry('sendMessage', { path: { sessionId }, body: request, accept: 'text/event-stream' });
    if (!response.body) throw new SwitchboardNetworkError('The event stream had no body');
    const result: StreamedSend = { message: undefined as unknown as SentMessage, replies: [], errors: [] };
    for await (const { event, data } of readEventStream(response.body)) {
      if (event === 'user_message') result.message = data as SentMessage;
      else if (event === 'chunk') onChunk(data as ReplyChunk);
      else if (event === 'done') result.replies.push(data as StreamedReply);
      else if (event === 'error') result.errors.push(data as StreamedSend['errors'][number]);
    }
    return result;
  }

  private async call<M extends RestMethod>(method: M, parts: CallParts): Promise<ResponseOf<M>> {
    const response = await this.fetchWithRetry(method, parts);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as ResponseOf<M>;
  }

  private async fetchWithRetry(method: RestMethod, parts: CallParts): Promise<Response> {
    const spec = REST_OPERATIONS[method];
    const url = this.url(spec.path, parts);
    const headers: Record<string, string> = { Accept: parts.accept ?? 'application/json' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (parts.body !== undefined) headers['Content-Type'] = 'application/json';
    const init = { method: spec.method, headers, body: parts.body === undefined ? undefined : JSON.stringify(parts.body) };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, init);
      } catch (cause) {
        const failure = new SwitchboardNetworkError(`${spec.method} ${spec.path} got no answer: ${(cause as Error)?.message ?? String(cause)}`, cause);
        if (attempt >= this.retry.retries || !shouldRetry({ kind: 'network-error' }, spec.idempotent)) throw failure;
        await this.wait(method, attempt, 'network error');
        continue;
      }
      if (response.ok) return response;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const envelope = (await response.json().catch(() => ({}))) as Partial<ErrorEnvelope>;
      const failure = new SwitchboardApiError(response.status, envelope, retryAfterMs);
      if (attempt >= this.retry.retries || !shouldRetry({ kind: 'response', status: response.status }, spec.idempotent)) throw failure;
      await this.wait(method, attempt, `${response.status} ${failure.code}`, retryAfterMs);
    }
  }

  private async wait(method: RestMethod, attempt: number, reason: string, retryAfterMs?: number): Promise<void> {
    const delayMs = retryDelayMs(attempt, this.retry, this.random(), retryAfterMs);
    this.options.onRetry?.({ method, attempt: attempt + 1, delayMs, reason });
    await this.sleep(delayMs);
  }

  private url(template: string, { path = {}, query = {} }: CallParts): string {
    const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ''));
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(key, String(value));
    const qs = search.toString();
    return `${this.baseUrl}${filled}${qs ? `?${qs}` : ''}`;
  }
}
