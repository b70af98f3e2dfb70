import { MessageEntity } from './message.entity';

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

/** What a turn reports to whoever waits for it, on this instance or another. */
export type TurnProgress =
  | { kind: 'chunk'; inReplyTo: string; chunk: ReplyChunk }
  | { kind: 'agent-ended'; inReplyTo: string; result: TurnResult }
  | { kind: 'turn-ended'; inReplyTo: string; results: TurnResult[] };

interface Waiter {
  observer: TurnObserver;
  resolve(results: TurnResult[]): void;
  since: number;
}

export interface Waiting {
  /** Settles once every agent of the message has answered or failed; never rejects. */
  promise: Promise<TurnResult[]>;
  cancel(): void;
}

/**
 * The requests of this instance that wait for a turn (sync and stream sends, /ws chats), by the
 * message they wait on. A cache: the turn itself may run on any instance.
 */
export class TurnWaiters {
  private readonly waiting = new Map<string, Waiter[]>();

  wait(messageId: string, observer: TurnObserver, now: number): Waiting {
    let waiter!: Waiter;
    const promise = new Promise<TurnResult[]>((resolve) => (waiter = { observer, resolve, since: now }));
    const list = this.waiting.get(messageId) ?? [];
    list.push(waiter);
    this.waiting.set(messageId, list);
    return { promise, cancel: () => this.remove(messageId, waiter) };
  }

  has(messageId: string): boolean {
    return this.waiting.has(messageId);
  }

  deliver(progress: TurnProgress): void {
    const list = this.waiting.get(progress.inReplyTo);
    if (!list) return;
    switch (progress.kind) {
      case 'chunk':
        list.forEach((waiter) => waiter.observer.onChunk?.(progress.chunk));
        return;
      case 'agent-ended':
        list.forEach((waiter) => waiter.observer.onTurnEnded?.(progress.result));
        return;
      case 'turn-ended':
        this.waiting.delete(progress.inReplyTo);
        list.forEach((waiter) => waiter.resolve(progress.results));
    }
  }

  /** Messages waited on since before `time`. */
  waitingSince(time: number): string[] {
    return [...this.waiting].filter(([, list]) => list.some((waiter) => waiter.since < time)).map(([messageId]) => messageId);
  }

  private remove(messageId: string, waiter: Waiter): void {
    const list = this.waiting.get(messageId)?.filter((w) => w !== waiter) ?? [];
    if (list.length > 0) this.waiting.set(messageId, list);
    else this.waiting.delete(messageId);
  }
}
