import type { operations } from './openapi.generated.js';

export type OperationId = keyof operations;

interface OperationSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  operationId: OperationId;
  /** Safe to repeat after a network error or a 5xx (a 429 is always retried: it was not processed). */
  idempotent: boolean;
}

/**
 * Every REST route, by SDK method name. Types come from openapi.generated.ts, made from the server's
 * own /api/docs-json; test/client-openapi.e2e-spec.ts fails when either drifts from the server.
 */
export const REST_OPERATIONS = {
  live: { method: 'GET', path: '/livez', operationId: 'ProbesController_live', idempotent: true },
  ready: { method: 'GET', path: '/readyz', operationId: 'ProbesController_ready', idempotent: true },
  asyncApi: { method: 'GET', path: '/api/asyncapi.json', operationId: 'AsyncApiController_asyncApi', idempotent: true },
  metrics: { method: 'GET', path: '/metrics', operationId: 'MetricsController_scrape', idempotent: true },

  createApiKey: { method: 'POST', path: '/api/auth/keys', operationId: 'ApiKeysController_create', idempotent: false },
  listApiKeys: { method: 'GET', path: '/api/auth/keys', operationId: 'ApiKeysController_list', idempotent: true },
  revokeApiKey: { method: 'DELETE', path: '/api/auth/keys/{keyId}', operationId: 'ApiKeysController_revoke', idempotent: true },

  createAgent: { method: 'POST', path: '/api/agents', operationId: 'AgentsController_create', idempotent: false },
  listAgents: { method: 'GET', path: '/api/agents', operationId: 'AgentsController_list', idempotent: true },
  getAgent: { method: 'GET', path: '/api/agents/{agentId}', operationId: 'AgentsController_get', idempotent: true },
  updateAgent: { method: 'PATCH', path: '/api/agents/{agentId}', operationId: 'AgentsController_update', idempotent: true },
  deleteAgent: { method: 'DELETE', path: '/api/agents/{agentId}', operationId: 'AgentsController_remove', idempotent: true },
  listAgentCommands: { method: 'GET', path: '/api/agents/{agentId}/commands', operationId: 'CommandsController_list', idempotent: true },
  getAgentCommand: { method: 'GET', path: '/api/agents/{agentId}/commands/{commandId}', operationId: 'CommandsController_get', idempotent: true },

  createChannel: { method: 'POST', path: '/api/channels', operationId: 'ChannelsController_create', idempotent: false },
  getChannel: { method: 'GET', path: '/api/channels/{channelId}', operationId: 'ChannelsController_get', idempotent: true },
  listChannelMessages: { method: 'GET', path: '/api/messaging/channels/{channelId}/messages', operationId: 'ChannelMessagesController_list', idempotent: true },
  postChannelMessage: { method: 'POST', path: '/api/messaging/channels/{channelId}/messages', operationId: 'ChannelMessagesController_post', idempotent: false },

  sessionsHealth: { method: 'GET', path: '/api/messaging/sessions/health', operationId: 'SessionsHealthController_health', idempotent: true },
  createSession: { method: 'POST', path: '/api/messaging/sessions', operationId: 'SessionsController_create', idempotent: false },
  listSessions: { method: 'GET', path: '/api/messaging/sessions', operationId: 'SessionsController_list', idempotent: true },
  getSession: { method: 'GET', path: '/api/messaging/sessions/{sessionId}', operationId: 'SessionsController_get', idempotent: true },
  deleteSession: { method: 'DELETE', path: '/api/messaging/sessions/{sessionId}', operationId: 'SessionsController_remove', idempotent: true },
  sendMessage: { method: 'POST', path: '/api/messaging/sessions/{sessionId}/messages', operationId: 'SessionsController_send', idempotent: true },
  listMessages: { method: 'GET', path: '/api/messaging/sessions/{sessionId}/messages', operationId: 'SessionsController_messages', idempotent: true },
  renewSession: { method: 'POST', path: '/api/messaging/sessions/{sessionId}/renew', operationId: 'SessionsController_renew', idempotent: false },
  updateSessionTimeout: { method: 'PATCH', path: '/api/messaging/sessions/{sessionId}/timeout', operationId: 'SessionsController_updateTimeout', idempotent: true },
  heartbeat: { method: 'POST', path: '/api/messaging/sessions/{sessionId}/heartbeat', operationId: 'SessionsController_heartbeat', idempotent: true },
} as const satisfies Record<string, OperationSpec>;

export type RestMethod = keyof typeof REST_OPERATIONS;
type OpOf<M extends RestMethod> = operations[(typeof REST_OPERATIONS)[M]['operationId']];

type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Success<R> = 200 extends keyof R ? JsonContent<R[200]> : 201 extends keyof R ? JsonContent<R[201]> : never;

/** The JSON body a route answers with on success. */
export type ResponseOf<M extends RestMethod> = Success<OpOf<M>['responses']>;
/** The JSON body a route takes. */
export type BodyOf<M extends RestMethod> = OpOf<M> extends { requestBody: infer B } ? JsonContent<B> : OpOf<M> extends { requestBody?: infer B } ? JsonContent<B> : never;
/** The query parameters a route takes. */
export type QueryOf<M extends RestMethod> = OpOf<M>['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never;
