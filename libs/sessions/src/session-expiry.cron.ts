import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, Metrics } from '@switchboard/common';
import { ClaimedSession } from './sessions.repository';
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
 * past `expiresAt`, purge those past retention. It only claims rows, a batch per statement through
 * the index on `expires_at`; SessionExpiryService acts on each. A row that fails is logged and left
 * for the next tick. Ticks never overlap.
 */
@Injectable()
export class SessionExpiryCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionExpiryCron.name);
  private running: Promise<SweepReport> | undefined;

  constructor(
    private readonly expiry: SessionExpiryService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
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
    const measured = this.metrics.sweepStarted();
    const report: SweepReport = { warned: 0, expired: 0, purged: 0, failed: 0 };
    report.warned = await this.step('warn', (limit) => this.expiry.claimDueWarnings(limit), async () => async (session) => this.expiry.warn(session), report);
    report.expired = await this.step(
      'expire',
      (limit) => this.expiry.claimDueExpiries(limit),
      async (claimed) => {
        const tokensRevoked = await this.expiry.revokeTokensOf(claimed);
        return (session) => this.expiry.expire(session, tokensRevoked);
      },
      report,
      (session) => this.expiry.releaseExpiry(session),
    );
    report.purged = await this.purge();
    measured(report);
    return report;
  }

  /**
   * Claims batches and acts on each row (`prepare` does what a whole batch can share, then says how
   * to act on one row). A row that fails is logged, counted and — once the step is over, so this
   * sweep does not claim it again — released for the next tick.
   */
  private async step(
    name: string,
    claim: (limit: number) => Promise<ClaimedSession[]>,
    prepare: (claimed: ClaimedSession[]) => Promise<(session: ClaimedSession) => Promise<void>>,
    report: SweepReport,
    release?: (session: ClaimedSession) => Promise<void>,
  ): Promise<number> {
    let done = 0;
    const failed: ClaimedSession[] = [];
    for (let batch = 0; batch < MAX_BATCHES_PER_STEP; batch++) {
      const claimed = await claim(BATCH_SIZE);
      const act = await prepare(claimed);
      for (const session of claimed) {
        try {
          await act(session);
          done++;
        } catch (error) {
          failed.push(session);
          this.logger.error(`Sweep step ${name} failed for session ${session.id}: ${(error as Error).message}`);
        }
      }
      if (claimed.length < BATCH_SIZE) break;
    }
    report.failed += failed.length;
    for (const session of failed) await release?.(session).catch((error: Error) => this.logger.error(`Could not release session ${session.id}: ${error.message}`));
    return done;
  }

  private async purge(): Promise<number> {
    let purged = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_STEP; batch++) {
      const count = await this.expiry.purgeBatch(BATCH_SIZE);
      purged += count;
      if (count < BATCH_SIZE) break;
    }
    return purged;
  }
}
