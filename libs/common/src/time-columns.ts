import { ValueTransformer } from 'typeorm';

/**
 * Times are stored as epoch milliseconds in BIGINT columns: exact, portable between SQLite
 * and PostgreSQL, and cheap to compare in the sweep. pg returns BIGINT as a string.
 */
export const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: epochMillisOrNull,
};

/** A BIGINT time as read from either driver (pg gives a string), or null. */
export function epochMillisOrNull(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function toIsoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : toIso(epochMs);
}
