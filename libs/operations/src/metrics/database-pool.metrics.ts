import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Metrics } from '@switchboard/common';
import { postgresPool } from '@switchboard/persistence';

/** The PostgreSQL pool's use, read at each scrape; SQLite has no pool (one connection), so nothing is reported there. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = postgresPool(this.dataSource);
    if (!pool) return;
    this.metrics.observeDatabasePool(() => ({ open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }));
  }
}
