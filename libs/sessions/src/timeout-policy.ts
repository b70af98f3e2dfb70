import { InvalidTimeoutConfigError, TimeoutConfig, timeoutConfigProblems } from '@switchboard/common';

export const MINUTE_MS = 60_000;

/** The timing facts of a session the policy needs. */
export interface SessionTiming {
  createdAt: number;
  expiresAt: number;
  config: TimeoutConfig;
}

/**
 * Merges the tiers of the hierarchy, lowest first (global → agent → session request), and
 * checks the result. A value out of bounds is an error, never clamped.
 */
export function resolveTimeoutConfig(defaults: TimeoutConfig, ...overrides: Array<Partial<TimeoutConfig> | undefined>): TimeoutConfig {
  const merged = overrides.reduce<TimeoutConfig>((config, tier) => ({ ...config, ...definedOnly(tier ?? {}) }), { ...defaults });
  const problems = timeoutConfigProblems(merged);
  if (problems.length > 0) {
    throw new InvalidTimeoutConfigError(problems.join('; '), { problems, resolved: merged });
  }
  return merged;
}

/** The latest a session may ever expire: its creation plus its maximum duration. */
export function maxExpiresAt(createdAt: number, config: TimeoutConfig): number {
  return createdAt + config.maxDurationMinutes * MINUTE_MS;
}

/** Expiry after activity at `at`: a full timeout from then, capped by the maximum duration. */
export function expiryAfterActivity(createdAt: number, config: TimeoutConfig, at: number): number {
  return Math.min(at + config.timeoutMinutes * MINUTE_MS, maxExpiresAt(createdAt, config));
}

export function timeRemaining(expiresAt: number, now: number): number {
  return Math.max(0, expiresAt - now);
}

export function isPastExpiry(expiresAt: number, now: number): boolean {
  return expiresAt <= now;
}

/** Within the warning window and not yet expired. */
export function isNearExpiration(expiresAt: number, warningThresholdMinutes: number, now: number): boolean {
  const remaining = expiresAt - now;
  return remaining > 0 && remaining <= warningThresholdMinutes * MINUTE_MS;
}

/** Where an automatic renewal (message, heartbeat) moves expiry; undefined when it does not move it. */
export function autoRenewal(session: SessionTiming, now: number): number | undefined {
  if (!session.config.autoRenew) return undefined;
  const next = expiryAfterActivity(session.createdAt, session.config, now);
  return next > session.expiresAt ? next : undefined;
}

export type ManualRenewal = { expiresAt: number } | { refused: string };

/** A manual renewal works whatever `autoRenew` says, until the maximum duration is reached. */
export function manualRenewal(session: SessionTiming, now: number): ManualRenewal {
  if (session.expiresAt >= maxExpiresAt(session.createdAt, session.config)) {
    return { refused: `Session reached its maximum duration of ${session.config.maxDurationMinutes} minutes` };
  }
  return { expiresAt: Math.max(session.expiresAt, expiryAfterActivity(session.createdAt, session.config, now)) };
}

function definedOnly(tier: Partial<TimeoutConfig>): Partial<TimeoutConfig> {
  return Object.fromEntries(Object.entries(tier).filter(([, value]) => value !== undefined));
}
