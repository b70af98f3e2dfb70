import { Clock } from '@switchboard/common';

/** A clock a suite moves by hand instead of sleeping; every rule that reads the time reads this one. */
export class FakeClock extends Clock {
  constructor(private current = Date.UTC(2026, 0, 1, 9, 0, 0)) {
    super();
  }

  now(): number {
    return this.current;
  }

  advanceMs(ms: number): void {
    this.current += ms;
  }

  advanceMinutes(minutes: number): void {
    this.advanceMs(minutes * 60_000);
  }

  /** Moves the clock to `epochMs`; never backwards. */
  moveTo(epochMs: number): void {
    if (epochMs < this.current) throw new Error(`The clock cannot go back from ${new Date(this.current).toISOString()} to ${new Date(epochMs).toISOString()}`);
    this.current = epochMs;
  }
}
