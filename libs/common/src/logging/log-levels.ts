import type { LogLevel } from '@nestjs/common';
import type { Level } from 'pino';

/** Nest's level names (LOG_LEVEL's) as pino's. */
export const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Pino's numeric levels, which JSON lines and seed 001's `logEntry` carry, by Nest's level names. */
export const PINO_LEVEL_VALUE: Record<LogLevel, number> = { fatal: 60, error: 50, warn: 40, log: 30, debug: 20, verbose: 10 };
