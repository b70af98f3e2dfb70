export * from './operations.module';
export * from './readiness.service';
export * from './redis-health.indicator';
export * from './metrics/http-metrics.hook';
