import { S, Static } from '../schema.js';
import { SOCKET_SERVER_EVENTS } from './socket-events.js';

/** Seed 003's `/ws` protocol: JSON envelopes `{ id, type, data, targetAgent, priority, timestamp }`. */
export const WS_ERROR_CODES = ['INVALID_MESSAGE', 'AGENT_NOT_FOUND', 'UNAUTHORIZED', 'RATE_LIMIT_EXCEEDED', 'INTERNAL_ERROR'] as const;

const conversationId = S.string({ description: 'A session id or a channel id' });
const participants = S.array(S.object({ entityId: S.string(), kind: S.enum(['user', 'agent']) }));

/** Frames a client sends, by `type`, with the schema of their `data`. */
export const WS_CLIENT_FRAMES = {
  chat: {
    summary: 'Say something; answered by chat_response with the agent reply',
    data: S.object({ message: S.string({ minLength: 1, maxLength: 10_000 }) }, { conversationId, messageId: S.string({ description: 'A client id: a resend is stored once' }) }),
  },
  command: { summary: 'Run a command on targetAgent (agents:manage); answered by command_result as it progresses', data: S.object({ instruction: S.string() }, { parameters: S.record() }) },
  subscribe: {
    summary: 'Receive agent events (agents:read), or the thoughts stream (sessions:manage)',
    data: S.object({}, { events: S.array(S.enum(['agent_status', 'emotion_change', 'memory_update'])), stream: S.literal('thoughts'), agentId: S.string(), filter: S.object({}, { minImportance: S.number({ minimum: 0, maximum: 1 }) }) }),
  },
  unsubscribe: { summary: 'Stop receiving agent events or the thoughts stream', data: S.object({}, { events: S.array(S.string()), stream: S.literal('thoughts') }) },
  join_conversation: { summary: "Follow a conversation's messages and typing; agents listed join it", data: S.object({ conversationId }, { agents: S.array(S.string()) }) },
  agent_handoff: { summary: 'Hand a conversation from one agent to another', data: S.object({ conversationId, fromAgent: S.string(), toAgent: S.string() }, { reason: S.string() }) },
  typing_start: { summary: 'This user started typing (conversationId at the top level or in data)', data: S.object({}, { conversationId }) },
  typing_stop: { summary: 'This user stopped typing', data: S.object({}, { conversationId }) },
  status: { summary: "Ask for targetAgent's status (agents:read)", data: S.object({}) },
  ping: { summary: 'Application-level keep-alive; answered by pong', data: S.object({}) },
  pong: { summary: "The answer to the server's JSON ping", data: S.object({}) },
  batch: { summary: 'Up to 50 frames run in order, each answered on its own, then batch_complete', data: S.object({ messages: S.array(S.record()) }) },
} as const;

/** Frames the server sends, by `type`, with the schema of their `data`. */
export const WS_SERVER_FRAMES = {
  connected: { summary: 'Sent first on every accepted connection', data: S.object({ clientId: S.string(), entityId: S.string(), tokenKind: S.enum(['api-key', 'session']) }) },
  chat_response: {
    summary: "The agent's reply to a chat",
    data: S.object({
      response: S.nullable(S.string()),
      agentId: S.nullable(S.string()),
      processingTime: S.integer(),
      emotion: S.string(),
      conversationId: S.string(),
      messageId: S.nullable(S.string()),
      userMessageId: S.string(),
      thought: S.nullable(S.string()),
      actions: S.array(S.string()),
      duplicate: S.boolean(),
    }),
  },
  command_result: {
    summary: "A command's status as it moves: queued, running, completed or failed",
    data: S.object({ commandId: S.uuid(), agentId: S.uuid(), instruction: S.string(), status: S.enum(['queued', 'running', 'completed', 'failed']) }, { parameters: S.record(), result: S.nullable(S.record()), error: S.nullable(S.string()), executionTime: S.nullable(S.number()), createdAt: S.dateTime(), completedAt: S.nullable(S.dateTime()) }),
  },
  subscribed: { summary: 'What this connection is now subscribed to', data: S.object({}, { events: S.array(S.string()), stream: S.literal('thoughts'), agentId: S.nullable(S.string()), filter: S.record() }) },
  unsubscribed: { summary: 'What this connection is still subscribed to', data: S.object({ events: S.array(S.string()), streams: S.array(S.string()) }) },
  conversation_joined: { summary: 'The conversation is followed', data: S.object({ conversationId: S.string(), channelId: S.uuid(), participants }) },
  handoff_complete: { summary: 'The handoff happened', data: S.object({ conversationId: S.string(), fromAgent: S.string(), toAgent: S.string(), reason: S.nullable(S.string()) }) },
  typing_started: { summary: 'typing_start was relayed (only when it carried an id)', data: S.object({ conversationId: S.string() }) },
  typing_stopped: { summary: 'typing_stop was relayed (only when it carried an id)', data: S.object({ conversationId: S.string() }) },
  status_update: {
    summary: "targetAgent's status",
    data: S.object({ agentId: S.string(), name: S.string(), status: S.string(), currentTask: S.string(), queueLength: S.integer(), uptime: S.number(), emotion: S.string() }),
  },
  pong: { summary: 'The answer to ping', data: S.object({}) },
  ping: { summary: "The server's JSON heartbeat (seed 003); answer pong", data: S.object({}) },
  batch_complete: { summary: 'Every frame of the batch was handled', data: S.object({ count: S.integer() }) },
  message: { summary: 'A message stored in a followed conversation (same shape as Socket.IO messageBroadcast)', data: SOCKET_SERVER_EVENTS.messageBroadcast.payload },
  typing: { summary: 'Someone else in a followed conversation is (or stopped) typing', data: S.object({ conversationId: S.string(), channelId: S.uuid(), entityId: S.string(), userId: S.string(), isTyping: S.boolean() }) },
  agent_handoff: { summary: 'A followed conversation was handed to another agent', data: S.object({ conversationId: S.string(), channelId: S.uuid(), fromAgent: S.string(), toAgent: S.string(), reason: S.nullable(S.string()) }) },
  event: { summary: 'A subscribed agent event (agent_status, emotion_change, memory_update) or a thought', data: S.object({ eventType: S.string() }, { stream: S.literal('thoughts'), conversationId: S.string() }) },
  error: {
    summary: 'A frame failed; id echoes the request',
    data: S.object({ code: S.enum(WS_ERROR_CODES), message: S.string(), details: S.string({ description: 'A sentence, as seed 003 has it' }), context: S.record({ description: "The service's error class and code, and the fields involved" }) }),
  },
} as const;

export type WsClientFrameType = keyof typeof WS_CLIENT_FRAMES;
export type WsServerFrameType = keyof typeof WS_SERVER_FRAMES;
export type WsClientData<T extends WsClientFrameType> = Static<(typeof WS_CLIENT_FRAMES)[T]['data']>;
export type WsServerData<T extends WsServerFrameType> = Static<(typeof WS_SERVER_FRAMES)[T]['data']>;
export type WsErrorCode = (typeof WS_ERROR_CODES)[number];
export type WsPriority = 'low' | 'normal' | 'high';

/** A frame the client sends. */
export type WsClientFrame<T extends WsClientFrameType = WsClientFrameType> = {
  [K in T]: { id?: string | number; type: K; data?: WsClientData<K>; targetAgent?: string; priority?: WsPriority; timestamp?: string; conversationId?: string };
}[T];

/** A frame the server sends. */
export type WsServerFrame<T extends WsServerFrameType = WsServerFrameType> = {
  [K in T]: { id?: string | number; type: K; data: WsServerData<K>; timestamp: string };
}[T];
