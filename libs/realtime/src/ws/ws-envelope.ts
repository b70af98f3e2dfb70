import { AgentNotFoundError, findUnstorableText, toSwitchboardError } from '@switchboard/common';

export const WS_PRIORITIES = ['low', 'normal', 'high'] as const;
export type WsPriority = (typeof WS_PRIORITIES)[number];

/** Seed 003's envelope, both ways. */
export interface WsEnvelope {
  id?: string | number;
  type: string;
  data?: Record<string, unknown>;
  targetAgent?: string;
  priority?: WsPriority;
  timestamp?: string;
  /** Typing frames carry these at the top level in the seed. */
  conversationId?: string;
  userId?: string;
}

export const WS_ERROR_CODES = ['INVALID_MESSAGE', 'AGENT_NOT_FOUND', 'UNAUTHORIZED', 'RATE_LIMIT_EXCEEDED', 'INTERNAL_ERROR'] as const;
export type WsErrorCode = (typeof WS_ERROR_CODES)[number];

/** An error already in the protocol's terms. */
export class WsProtocolError extends Error {
  constructor(
    readonly code: WsErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Seed 003's error data: `details` is a sentence (`"Missing required field: targetAgent"`); what
 * Switchboard knows beyond it (the service's error class and code, the fields involved) is in `context`.
 */
export interface WsErrorData {
  code: WsErrorCode;
  message: string;
  details: string;
  context: Record<string, unknown>;
}

/** Maps any failure to the protocol's codes, keeping the service's error class and code in `context`. */
export function toWsError(failure: unknown): WsErrorData {
  if (failure instanceof WsProtocolError) {
    const reason = failure.details.reason;
    return { code: failure.code, message: failure.message, details: typeof reason === 'string' ? reason : failure.message, context: failure.details };
  }
  const error = toSwitchboardError(failure);
  const described = { message: error.message, details: `${error.name}: ${error.message}`, context: { error: error.name, code: error.code, ...error.details } };
  if (error instanceof AgentNotFoundError) return { code: 'AGENT_NOT_FOUND', ...described };
  if (error.status === 401 || error.status === 403) return { code: 'UNAUTHORIZED', ...described };
  if (error.status === 429) return { code: 'RATE_LIMIT_EXCEEDED', ...described };
  if (error.status >= 500) return { code: 'INTERNAL_ERROR', ...described };
  return { code: 'INVALID_MESSAGE', ...described };
}

/** Parses one frame into an envelope, or throws INVALID_MESSAGE naming what is wrong. */
export function parseEnvelope(raw: unknown): WsEnvelope {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'A frame must be a JSON object' });
  }
  const frame = raw as Record<string, unknown>;
  if (typeof frame.type !== 'string' || frame.type === '') {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: type' });
  }
  if (frame.id !== undefined && typeof frame.id !== 'string' && typeof frame.id !== 'number') {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'id must be a string or a number' });
  }
  if (frame.data !== undefined && (frame.data === null || typeof frame.data !== 'object' || Array.isArray(frame.data))) {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'data must be an object' });
  }
  if (frame.targetAgent !== undefined && typeof frame.targetAgent !== 'string') {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'targetAgent must be a string' });
  }
  const unstorable = findUnstorableText(frame);
  if (unstorable) {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: `${unstorable.path} holds a ${unstorable.reason}, which cannot be stored`, field: unstorable.path });
  }
  if (frame.priority !== undefined && !WS_PRIORITIES.includes(frame.priority as WsPriority)) {
    throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: `priority must be one of ${WS_PRIORITIES.join(', ')}`, priority: frame.priority });
  }
  return frame as unknown as WsEnvelope;
}
