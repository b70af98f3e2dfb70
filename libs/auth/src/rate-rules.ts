import { RateRule } from './rate-limiter';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How many frames one /ws connection may send per window before RATE_LIMIT_EXCEEDED. */
export const WS_FRAMES_PER_WINDOW = 120;
export const WS_FRAME_WINDOW_MS = 10_000;

export interface RequestLimits {
  sessionPerMinute: number;
  userPerHour: number;
  agentPerHour: number;
}

/** A request on a conversation (a session, or a group channel that agents answer in), as the limits see it. */
export interface ChargedRequest {
  /** The API key the conversation's requests are charged to: a session's creator, or the key posting to a channel; null for SWITCHBOARD_ADMIN_TOKEN. */
  ownerKeyId: string | null;
  userId: string;
  agentIds: readonly string[];
  /** The session or channel itself, once it exists (not when a session is being created). */
  conversation?: { kind: 'session' | 'channel'; id: string };
}

/**
 * Who pays for a request. Every counter but the conversation's own belongs to one key: a user is a
 * user of that key (two keys' "alice" are two users), and an agent's hourly budget is per key, so
 * nothing one tenant sends, with its keys or the session tokens they issued, can use up another's.
 */
export function requestRules(limits: RequestLimits, request: ChargedRequest): RateRule[] {
  const owner = request.ownerKeyId === null ? 'admin-token' : `key:${request.ownerKeyId}`;
  return [
    ...(request.conversation
      ? [{ scope: request.conversation.kind, subject: request.conversation.id, limit: limits.sessionPerMinute, windowMs: MINUTE_MS }]
      : []),
    { scope: 'user', subject: `${owner}:${request.userId}`, limit: limits.userPerHour, windowMs: HOUR_MS },
    ...request.agentIds.map((agentId) => ({ scope: 'agent', subject: `${owner}:${agentId}`, limit: limits.agentPerHour, windowMs: HOUR_MS })),
  ];
}

/** The limit every /ws frame counts against, whatever it asks for: its connection's frames per window. */
export function wsFrameRules(connectionId: string): RateRule[] {
  return [{ scope: 'connection', subject: connectionId, limit: WS_FRAMES_PER_WINDOW, windowMs: WS_FRAME_WINDOW_MS }];
}
