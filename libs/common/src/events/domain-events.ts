/**
 * The facts domain modules publish. Realtime transports subscribe and fan them out; no domain
 * module knows about sockets.
 */
export interface MessageView {
  id: string;
  channelId: string;
  authorId: string;
  isAgent: boolean;
  content: string;
  attachments: Array<{ type: string; url: string; name?: string }>;
  metadata: Record<string, unknown>;
  thought: string | null;
  actions: string[] | null;
  clientMessageId: string | null;
  createdAt: number;
}

export interface DomainEvents {
  'message.created': { message: MessageView; senderName: string; source: string; sessionId: string | null };
  'agent.thinking': { channelId: string; sessionId: string | null; agentId: string; inReplyTo: string };
  /** A turn ended, with a reply or with an error; emitted exactly once per turn. */
  'agent.turn-ended': {
    channelId: string;
    sessionId: string | null;
    agentId: string;
    inReplyTo: string;
    replyId: string | null;
    error: { code: string; message: string } | null;
  };
  'agent.status-changed': { agentId: string; previousStatus: string; status: string };
  'agent.emotion-changed': { agentId: string; channelId: string; previousEmotion: string; currentEmotion: string; intensity: number };
  /** The agent stored something it said: its conversation memory grew. */
  'agent.memory-updated': { agentId: string; channelId: string; messageId: string };
  'agent.thought': { agentId: string; channelId: string; messageId: string; thought: string; importance: number };
  'conversation.handoff': { channelId: string; sessionId: string | null; fromAgent: string; toAgent: string; reason: string | null };
  /** Connections opened with this key must end now. */
  'auth.key-revoked': { keyId: string };
  'session.renewed': { sessionId: string; channelId: string; expiresAt: number; renewalCount: number };
  'session.expiring': { sessionId: string; channelId: string; expiresAt: number; minutesRemaining: number };
  'session.expired': { sessionId: string; channelId: string; expiredAt: number };
  /** `origin` identifies the connection that typed, so it is not told about itself. */
  'channel.typing': { channelId: string; sessionId: string | null; entityId: string; isTyping: boolean; origin: string };
  /** `agentId` when the line is about one agent (it names it as `Agent <id>`). */
  'log.entry': { level: string; context: string | undefined; message: string; timestamp: number; agentId?: string; agentName?: string };
}

export type DomainEventName = keyof DomainEvents;
