import { Injectable } from '@nestjs/common';
import { Clock, EventBus, Metrics, timeOrderedUuid } from '@switchboard/common';
import { MessageEntity } from './message.entity';
import { AppendOptions, MessagingService, NewMessage } from './messaging.service';
import { TurnObserver, TurnResult } from './turn-progress';
import { TurnRunner } from './turn-runner.service';
import { TurnsRepository } from './turns.repository';

export type { ReplyChunk, TurnObserver, TurnResult } from './turn-progress';

export interface PostedMessage {
  message: MessageEntity;
  /** False when the client messageId matched a stored message: nothing new was written or answered. */
  created: boolean;
  /**
   * Settles when every agent of the channel has answered or failed; never rejects. For a retried
   * message, the original's turn: still running (on any instance), or the replies stored for it.
   */
  turn: Promise<TurnResult[]>;
  /** The rows of the `alsoWrite` statements, committed with the message (none when it was not created). */
  alsoWritten: unknown[][];
}

export interface PostInput extends NewMessage {
  senderName?: string;
  source?: string;
  sessionId?: string | null;
}

/**
 * Stores a user's message with its agent turn, announces it, and hands the turn to the runner: at
 * once when the channel had nothing else to answer, else to whichever instance reaches it in order.
 */
@Injectable()
export class ConversationService {
  constructor(
    private readonly messaging: MessagingService,
    private readonly runner: TurnRunner,
    private readonly turns: TurnsRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  /** `options`: what commits with the message (its session's activity) and on what condition (see appendMessage). */
  async post(input: PostInput, observer: TurnObserver = {}, options: AppendOptions = {}): Promise<PostedMessage> {
    const sessionId = input.sessionId ?? null;
    if (input.isAgent) {
      const { message, created, writtenWith } = await this.messaging.appendMessage(input, undefined, options);
      if (created) this.announce(message, input);
      return { message, created, turn: Promise.resolve([]), alsoWritten: writtenWith };
    }
    const id = input.id ?? timeOrderedUuid(this.clock.now());
    // Waiting starts before the write: the turn may run, and end, on another instance at once.
    const waiting = this.runner.waiters.wait(id, observer, this.clock.now());
    const leaseUntil = this.runner.newLeaseEnd();
    let appended;
    try {
      appended = await this.messaging.appendMessage({ ...input, id }, { enqueue: { sessionId, owner: this.runner.owner, leaseUntil } }, options);
    } catch (error) {
      waiting.cancel();
      throw error;
    }
    const { message, created, writtenWith } = appended;
    if (!created) {
      waiting.cancel();
      return { message, created, turn: this.turnOfStored(message), alsoWritten: [] };
    }
    this.announce(message, input);
    if (this.turns.wasClaimed(writtenWith)) {
      this.runner.start({ messageId: id, channelId: message.channelId, sessionId, messageCreatedAt: message.createdAt, owner: this.runner.owner, leaseUntil, attempts: 1 }, message);
    } else {
      // Whoever ends the turn ahead claims this one in that commit; the kick covers a head nobody holds.
      this.runner.kick(message.channelId);
    }
    return { message, created, turn: waiting.promise, alsoWritten: writtenWith.slice(1) };
  }

  /** Turns waiting or running, on every instance, in the channels this agent answers in. */
  pendingTurnsOf(agentId: string): Promise<number> {
    return this.turns.countForAgent(agentId);
  }

  /** The agent's last expressed emotion, as every instance sees it. */
  emotionOf(agentId: string): Promise<string> {
    return this.runner.emotionOf(agentId);
  }

  private announce(message: MessageEntity, input: PostInput): void {
    this.metrics.messageStored(message.isAgent);
    this.events.emit('message.created', {
      message,
      senderName: input.senderName ?? input.authorId,
      source: input.source ?? 'api',
      sessionId: input.sessionId ?? null,
    });
  }

  /** The turn of a message stored earlier: still to run or running (anywhere), or the replies stored for it. */
  private async turnOfStored(message: MessageEntity): Promise<TurnResult[]> {
    if (message.isAgent) return [];
    const waiting = this.runner.waiters.wait(message.id, {}, this.clock.now());
    if (await this.turns.exists(message.id)) return waiting.promise;
    waiting.cancel();
    return this.runner.storedResults(message.id);
  }
}
