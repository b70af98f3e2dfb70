import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@switchboard/common';
import { SessionEntity } from './session.entity';
import { SessionExpiryService } from './session-expiry.service';

const BATCH_SIZE = 500;
/** Enough for a large backlog without letting one tick run unbounded; the next tick continues. */
const MAX_BATCHES_PER_STEP = 20;
const JOB_NAME = 'session-expiry-sweep';

export interface SweepReport {
  warned: number;
  expired: number;
  purged: number;
  failed: number;
}

/**
 * Every SESSION_SWEEP_INTERVAL_SECONDS: warn sessions entering their warning window, expire those
 * past `expiresAt`, purge those past retention. It only finds and claims rows; SessionExpiryService
 * acts on each. A row that fails is logged and left for the next tick. Ticks never overlap.
 */
@Injectable()
export class SessionExpiryCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionExpiryCron.name);
  private running: Promise<SweepReport> | undefined;

  constructor(
    private readonly expiry: SessionExpiryService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalSeconds === 0) return;
    const timer = setInterval(() => void this.tick(), this.config.sweepIntervalSeconds * 1000);
    this.scheduler.addInterval(JOB_NAME, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB_NAME)) this.scheduler.deleteInterval(JOB_NAME);
  }

  /** One sweep; while one runs, another call waits for it instead of starting a second. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.runSteps().finally(() => (this.running = undefined));
    return this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      const report = await this.sweep();
      if (report.warned + report.expired + report.purged + report.failed > 0) {
        this.logger.log(`Sweep: ${report.warned} warned, ${report.expired} expired, ${report.purged} purged, ${report.failed} failed`);
      }
    } catch (error) {
      this.logger.error(`Sweep failed: ${(error as Error).message}`);
    }
  }

  private async runSteps(): Promise<SweepReport> {
    const report: SweepReport = { warned: 0, expired: 0, purged: 0, failed: 0 };
    await this.step('warn', () => this.expiry.findDueWarnings(BATCH_SIZE), (s) => this.expiry.warn(s), report, 'warned');
    await this.step('expire', () => this.expiry.findDueExpiries(BATCH_SIZE), (s) => this.expiry.expire(s), report, 'expired');
    await this.step('purge', () => this.expiry.findPurgeable(BATCH_SIZE), (s) => this.expiry.purge(s), report, 'purged');
    return report;
  }

  private async step(
    name: string,
    findDue: () => Promise<SessionEntity[]>,
    act: (session: SessionEntity) => Promise<boolean>,
    report: SweepReport,
    counter: 'warned' | 'expired' | 'purged',
  ): Promise<void> {
    const failed = new Set<string>();
    for (let batch = 0; batch < MAX_BATCHES_PER_STEP; batch++) {
      const due = (await findDue()).filter((session) => !failed.has(session.id));
      for (const session of due) {
        try {
          if (await act(session)) report[counter]++;
        } catch (error) {
          failed.add(session.id);
          report.failed++;
          this.logger.error(`Sweep step ${name} failed for session ${session.id}: ${(error as Error).message}`);
        }
      }
      if (due.length < BATCH_SIZE) return;
    }
  }
}
