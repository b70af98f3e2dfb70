import type { Emitter } from '@switchboard/client';
import { until } from '../utils-realtime/deadline';

export const EVENT_TIMEOUT_MS = 5_000;

/** Records what an SDK emitter emits, by event, from the moment it is created; waits with a deadline. */
export class Recorder<Events extends { [E in keyof Events]: unknown }> {
  private readonly received = new Map<keyof Events, unknown[]>();
  private readonly wakers = new Set<() => void>();

  constructor(emitter: Emitter<Events>, events: Array<keyof Events>) {
    for (const event of events) {
      this.received.set(event, []);
      emitter.on(event, (payload) => {
        this.received.get(event)!.push(payload);
        this.wakers.forEach((wake) => wake());
      });
    }
  }

  of<E extends keyof Events>(event: E, where: (payload: Events[E]) => boolean = () => true): Array<Events[E]> {
    return (this.received.get(event) as Array<Events[E]>).filter(where);
  }

  async next<E extends keyof Events>(event: E, where: (payload: Events[E]) => boolean = () => true, count = 1): Promise<Array<Events[E]>> {
    await until(
      (wake) => {
        this.wakers.add(wake);
        return () => this.wakers.delete(wake);
      },
      () => this.of(event, where).length >= count,
      EVENT_TIMEOUT_MS,
      `${count} × ${String(event)}`,
    );
    return this.of(event, where);
  }
}
