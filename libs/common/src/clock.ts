import { Injectable } from '@nestjs/common';

/** Where the service reads the time, so expiry can be tested by moving a fake clock. */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
}

@Injectable()
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
