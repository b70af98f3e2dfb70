import { Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics } from '@switchboard/common';
import { SqlExecutor } from '@switchboard/persistence';

/** The PostgreSQL pool's use, read at each scrape; SQLite has no pool (one connection), so nothing is reported there. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly sql: SqlExecutor,
  ) {}

  onModuleInit(): void {
    if (this.sql.poolUse() === null) return;
    this.metrics.observeDatabasePool(() => this.sql.poolUse() ?? { open: 0, idle: 0, waiting: 0, max: 0 });
  }
}
