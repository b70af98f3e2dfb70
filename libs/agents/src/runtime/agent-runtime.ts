import type { AgentEntity } from '../agent.entity';

export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ReplyRequest {
  agent: AgentEntity;
  /** Earlier messages of the channel, oldest first, not including `message`; read only by providers that use it. */
  history: () => Promise<ConversationTurn[]>;
  message: string;
  /** Aborted when the turn is given up (a drain hands it back): the reply ends with CANCELLED. */
  cancel?: AbortSignal;
}

export type ReplyPart =
  | { type: 'chunk'; text: string }
  | { type: 'done'; thought?: string; actions?: string[]; emotion?: string; importance?: number };

/** What produces an agent's replies; one implementation per `runtime.provider`. */
export interface RuntimeProvider {
  stream(request: ReplyRequest, signal: AbortSignal): AsyncIterable<ReplyPart>;
}

/** A provider failed or took too long; the turn ends with this code. */
export class AgentRuntimeError extends Error {
  constructor(
    readonly code: 'PROVIDER_ERROR' | 'PROVIDER_TIMEOUT' | 'CANCELLED',
    message: string,
  ) {
    super(message);
    this.name = 'AgentRuntimeError';
  }
}
