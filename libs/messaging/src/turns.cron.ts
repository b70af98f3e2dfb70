import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@switchboard/common';
import { TurnRunner } from './turn-runner.service';

const JOB_NAME = 'agent-turn-sweep';

/**
 * Every AGENT_TURN_SWEEP_SECONDS: claims turns nobody holds (their instance died and the lease ran
 * out, or a drain handed them back and the relay's word was lost), and settles requests here whose
 * turn ended elsewhere unheard. The hot path never waits for it: the storing instance claims at once.
 */
@Injectable()
export class TurnsCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TurnsCron.name);
  private running = false;

  constructor(
    private readonly runner: TurnRunner,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.config.agentTurnSweepSeconds * 1000);
    this.scheduler.addInterval(JOB_NAME, timer);
    // Turns a previous run of this instance left behind are held by a process that no longer exists.
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB_NAME)) this.scheduler.deleteInterval(JOB_NAME);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.runner.sweep();
      await this.runner.settleLostWaiters(this.config.agentTurnSweepSeconds * 1000);
    } catch (error) {
      this.logger.error(`Turn sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
