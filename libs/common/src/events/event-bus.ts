import { Injectable, Logger } from '@nestjs/common';
import { DomainEventName, DomainEvents } from './domain-events';

type Handler<E extends DomainEventName> = (payload: DomainEvents[E]) => void;

/** The one in-process bus. Handlers run synchronously; one that throws is logged and never breaks the publisher. */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly handlers = new Map<DomainEventName, Set<Handler<DomainEventName>>>();

  on<E extends DomainEventName>(event: E, handler: Handler<E>): () => void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler as Handler<DomainEventName>);
    this.handlers.set(event, set);
    return () => set.delete(handler as Handler<DomainEventName>);
  }

  emit<E extends DomainEventName>(event: E, payload: DomainEvents[E]): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        if (event !== 'log.entry') this.logger.error(`Handler for ${event} failed: ${(error as Error).message}`);
      }
    }
  }
}
