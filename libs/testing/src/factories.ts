/** Where a factory sends its requests: a kit app, or any running Switchboard. */
export interface SwitchboardTarget {
  baseUrl: string;
  adminToken: string;
}

/** Who a request is made as: a token sent as `Authorization: Bearer`, or headers as given; the admin token otherwise. */
export interface As {
  token?: string;
  headers?: Record<string, string>;
}

/** The headers a request made as `as` carries. */
export function authHeaders(target: SwitchboardTarget, as: As = {}): Record<string, string> {
  return { ...(as.headers ?? { Authorization: `Bearer ${as.token ?? target.adminToken}` }) };
}

/** A response that was not the one asked for, with the error envelope the server answered. */
export class SwitchboardApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'SwitchboardApiError';
  }
}

/** Calls the public API as `as` (the admin token by default) and returns the JSON body; throws SwitchboardApiError unless the status is `expect`. */
export async function callApi<T = Record<string, unknown>>(
  target: SwitchboardTarget,
  method: string,
  path: string,
  { body, expect = method === 'POST' ? 201 : 200, as = {} }: { body?: unknown; expect?: number; as?: As } = {},
): Promise<T> {
  const headers = authHeaders(target, as);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${target.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (response.status !== expect) throw new SwitchboardApiError(response.status, parsed, `${method} ${path}`);
  return parsed as T;
}

export interface CreatedApiKey {
  id: string;
  token: string;
  scopes: string[];
}

/** A new API key with exactly these scopes (e.g. what a frontend holds: `['sessions:create', 'sessions:read', 'sessions:write']`). */
export async function createApiKey(target: SwitchboardTarget, scopes: string[], name = `key-${scopes.join('+')}`.slice(0, 100)): Promise<CreatedApiKey> {
  const key = await callApi<CreatedApiKey>(target, 'POST', '/api/auth/keys', { body: { name, scopes } });
  return { id: key.id, token: key.token, scopes: key.scopes };
}

export interface CreatedAgent {
  id: string;
  name: string;
  [field: string]: unknown;
}

let agents = 0;

/** An agent; without `runtime` it answers through the app's ScriptedAgentProvider (echo until scripted). */
export function createAgent(target: SwitchboardTarget, body: Record<string, unknown> = {}, as?: As): Promise<CreatedAgent> {
  return callApi<CreatedAgent>(target, 'POST', '/api/agents', { body: { name: `agent-${process.pid}-${++agents}`, ...body }, as });
}

export interface CreatedSession {
  sessionId: string;
  channelId: string;
  /** The session token: what a browser holds, valid for this session only. */
  token: string;
  expiresAt: string;
  [field: string]: unknown;
}

/** A session (of a new agent unless `agentId` is given) and its token, created as `as` (the admin token by default). */
export async function createSession(target: SwitchboardTarget, body: Record<string, unknown> = {}, as?: As): Promise<CreatedSession> {
  const agentId = (body.agentId as string | undefined) ?? (await createAgent(target)).id;
  return callApi<CreatedSession>(target, 'POST', '/api/messaging/sessions', { body: { userId: 'user-1', ...body, agentId }, as });
}

export interface CreatedChannel {
  id: string;
  name: string | null;
  type: 'session' | 'group';
  participants: Array<{ entityId: string; kind: 'user' | 'agent' }>;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** A group channel; the agents among its participants answer its user messages. */
export function createChannel(
  target: SwitchboardTarget,
  { agentIds = [], users = [], name }: { agentIds?: string[]; users?: string[]; name?: string } = {},
  as?: As,
): Promise<CreatedChannel> {
  const participants = [...users.map((entityId) => ({ entityId, kind: 'user' })), ...agentIds.map((entityId) => ({ entityId, kind: 'agent' }))];
  return callApi<CreatedChannel>(target, 'POST', '/api/channels', { body: { name, participants }, as });
}
