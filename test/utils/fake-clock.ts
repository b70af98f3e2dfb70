import { Clock } from '@switchboard/common';

/** A clock tests move by hand instead of sleeping. */
export class FakeClock extends Clock {
  constructor(private current = Date.UTC(2026, 0, 1, 9, 0, 0)) {
    super();
  }

  now(): number {
    return this.current;
  }

  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }

  advanceMs(ms: number): void {
    this.current += ms;
  }
}
