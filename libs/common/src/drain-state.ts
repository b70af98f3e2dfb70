import { Injectable } from '@nestjs/common';

/** Whether this instance is draining (SIGTERM): readiness fails and connections close after their response. */
@Injectable()
export class DrainState {
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  begin(): void {
    this.started = true;
  }
}
