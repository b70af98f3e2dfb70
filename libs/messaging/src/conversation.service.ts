import { Injectable, Logger } from '@nestjs/common';
import { AgentEntity, AgentRuntimeError, AgentRuntimeService, AgentsService, ConversationTurn, ReplyPart } from '@switchboard/agents';
import { EventBus, timeOrderedUuid } from '@switchboard/common';
import { ChannelsRepository } from './channels.repository';
import { MessageEntity } from './message.entity';
import { MessagesRepository } from './messages.repository';
import { MessagingService, NewMessage } from './messaging.service';

const HISTORY_MESSAGES = 20;
/** How far past a retried message its replies are looked for. */
const REPLY_SEARCH_MESSAGES = 100;
const NEUTRAL = 'neutral';
const DEFAULT_IMPORTANCE = 0.5;

export interface ReplyChunk {
  messageId: string;
  agentId: string;
  chunk: string;
  index: number;
}

export interface TurnResult {
  agentId: string;
  reply: MessageEntity | null;
  error: { code: string; message: string } | null;
  emotion: string;
}

export interface TurnObserver {
  onChunk?(chunk: ReplyChunk): void;
  onTurnEnded?(result: TurnResult): void;
}

export interface PostedMessage {
  message: MessageEntity;
  /** False when the client messageId matched a stored message: nothing new was written or answered. */
  created: boolean;
  /**
   * Settles when every agent of the channel has answered or failed; never rejects. For a retried
   * message, the original's turn: still running, or the replies stored for it.
   */
  turn: Promise<TurnResult[]>;
}

export interface PostInput extends NewMessage {
  senderName?: string;
  source?: string;
  sessionId?: string | null;
}

/**
 * Stores a user's message, announces it, and has the channel's agents answer it: one agent answers
 * one message at a time per channel, in order, and every turn ends — with a reply or an error.
 */
@Injectable()
export class ConversationService {
  private readonly logger = new Logger(ConversationService.name);
  /** Per channel: the agent turns, one after the other. */
  private readonly channelQueues = new Map<string, Promise<unknown>>();
  /** Per channel: storing a message and queueing its turn, one after the other. */
  private readonly appendLocks = new Map<string, Promise<unknown>>();
  /** Per user message: its agents' turn, until it has ended. */
  private readonly turnsInFlight = new Map<string, Promise<TurnResult[]>>();
  private readonly pendingTurns = new Map<string, number>();
  private readonly emotions = new Map<string, string>();

  constructor(
    private readonly messaging: MessagingService,
    private readonly channels: ChannelsRepository,
    private readonly messages: MessagesRepository,
    private readonly agents: AgentsService,
    private readonly runtime: AgentRuntimeService,
    private readonly events: EventBus,
  ) {}

  /**
   * Stores, announces and queues the message for its agents. Storing and queueing happen under one
   * short per-channel lock, so turns are taken in the order messages were stored even when the
   * database finishes concurrent inserts out of order.
   */
  post(input: PostInput, observer: TurnObserver = {}): Promise<PostedMessage> {
    return chain(this.appendLocks, input.channelId, async (): Promise<PostedMessage> => {
      const { message, created } = await this.messaging.appendMessage(input);
      if (!created) return { message, created, turn: this.turnOfStored(message) };
      this.events.emit('message.created', {
        message,
        senderName: input.senderName ?? input.authorId,
        source: input.source ?? 'api',
        sessionId: input.sessionId ?? null,
      });
      if (input.isAgent) return { message, created, turn: Promise.resolve([]) };
      const turn = chain(this.channelQueues, message.channelId, () => this.answer(message, input.sessionId ?? null, observer));
      this.turnsInFlight.set(message.id, turn);
      void turn.finally(() => this.turnsInFlight.delete(message.id));
      return { message, created, turn };
    });
  }

  /** Turns of this agent running on this instance. */
  pendingTurnsOf(agentId: string): number {
    return this.pendingTurns.get(agentId) ?? 0;
  }

  /** The agent's last expressed emotion on this instance. */
  emotionOf(agentId: string): string {
    return this.emotions.get(agentId) ?? NEUTRAL;
  }

  private async answer(message: MessageEntity, sessionId: string | null, observer: TurnObserver): Promise<TurnResult[]> {
    const participants = await this.channels.findParticipants(message.channelId);
    const results: TurnResult[] = [];
    for (const participant of participants.filter((p) => p.kind === 'agent')) {
      const agent = await this.agents.find(participant.entityId);
      if (!agent || agent.status !== 'active') continue;
      this.pendingTurns.set(agent.id, this.pendingTurnsOf(agent.id) + 1);
      try {
        const result = await this.runTurn(agent, message, sessionId, observer);
        observer.onTurnEnded?.(result);
        results.push(result);
      } finally {
        const left = this.pendingTurnsOf(agent.id) - 1;
        if (left > 0) this.pendingTurns.set(agent.id, left);
        else this.pendingTurns.delete(agent.id);
      }
    }
    return results;
  }

  private async runTurn(agent: AgentEntity, message: MessageEntity, sessionId: string | null, observer: TurnObserver): Promise<TurnResult> {
    const replyId = timeOrderedUuid();
    const channelId = message.channelId;
    this.events.emit('agent.thinking', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id });
    try {
      let text = '';
      let index = 0;
      let done: Extract<ReplyPart, { type: 'done' }> = { type: 'done' };
      for await (const part of this.runtime.reply({ agent, history: () => this.history(message), message: message.content })) {
        if (part.type === 'done') {
          done = part;
          continue;
        }
        text += part.text;
        observer.onChunk?.({ messageId: replyId, agentId: agent.id, chunk: part.text, index: index++ });
      }
      if (text.trim() === '') throw new AgentRuntimeError('PROVIDER_ERROR', 'The model provider sent an empty reply');
      const { message: reply } = await this.messaging.appendMessage({
        id: replyId,
        channelId,
        authorId: agent.id,
        isAgent: true,
        content: text,
        thought: done.thought,
        actions: done.actions,
        metadata: { inReplyTo: message.id },
      });
      this.events.emit('message.created', { message: reply, senderName: agent.name, source: 'agent', sessionId });
      this.announceInnerLife(agent.id, reply, done);
      this.events.emit('agent.turn-ended', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id, replyId, error: null });
      return { agentId: agent.id, reply, error: null, emotion: this.emotionOf(agent.id) };
    } catch (failure) {
      const error =
        failure instanceof AgentRuntimeError
          ? { code: failure.code, message: failure.message }
          : { code: 'INTERNAL_ERROR', message: 'The agent could not answer' };
      this.logger.warn(`Agent ${agent.id} failed to answer in channel ${channelId}: ${(failure as Error).message}`);
      this.events.emit('agent.turn-ended', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id, replyId: null, error });
      return { agentId: agent.id, reply: null, error, emotion: this.emotionOf(agent.id) };
    }
  }

  /** What /ws subscribers watch: the reply as memory, its thought, and a change of emotion. */
  private announceInnerLife(agentId: string, reply: MessageEntity, done: Extract<ReplyPart, { type: 'done' }>): void {
    const channelId = reply.channelId;
    this.events.emit('agent.memory-updated', { agentId, channelId, messageId: reply.id });
    if (done.thought) {
      this.events.emit('agent.thought', { agentId, channelId, messageId: reply.id, thought: done.thought, importance: done.importance ?? DEFAULT_IMPORTANCE });
    }
    const previousEmotion = this.emotionOf(agentId);
    const currentEmotion = done.emotion ?? NEUTRAL;
    this.emotions.set(agentId, currentEmotion);
    if (currentEmotion !== previousEmotion) {
      this.events.emit('agent.emotion-changed', { agentId, channelId, previousEmotion, currentEmotion, intensity: done.importance ?? DEFAULT_IMPORTANCE });
    }
  }

  /** The turn of a message stored earlier: the one still running, or the replies stored for it. */
  private async turnOfStored(message: MessageEntity): Promise<TurnResult[]> {
    if (message.isAgent) return [];
    const running = this.turnsInFlight.get(message.id);
    if (running) return running;
    // Turns run one at a time per channel, so its replies are among the messages stored soon after it.
    const following = await this.messages.findWindow(message.channelId, { after: message.createdAt, limit: REPLY_SEARCH_MESSAGES });
    return following
      .filter((m) => m.isAgent && m.metadata.inReplyTo === message.id)
      .map((reply) => ({ agentId: reply.authorId, reply, error: null, emotion: this.emotionOf(reply.authorId) }));
  }

  /**
   * What the agent knows when it answers: the channel's latest messages, without this one and without
   * user messages that came after it (they wait their turn). Replies stored after this message was
   * sent still count, so an answer to the previous message is never missing.
   */
  private async history(message: MessageEntity): Promise<ConversationTurn[]> {
    const latest = await this.messages.findWindow(message.channelId, { limit: HISTORY_MESSAGES * 2 });
    return latest
      .filter((m) => m.id !== message.id && (m.isAgent || m.createdAt < message.createdAt))
      .slice(0, HISTORY_MESSAGES)
      .reverse()
      .map((m) => ({ role: m.isAgent ? 'assistant' : 'user', content: m.content }));
  }
}

/** Runs `work` after everything chained before it under `key`, whether that succeeded or failed. */
function chain<T>(queues: Map<string, Promise<unknown>>, key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(key, next);
  const release = () => {
    if (queues.get(key) === next) queues.delete(key);
  };
  void next.then(release, release);
  return next;
}
