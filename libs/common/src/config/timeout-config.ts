/** The four knobs of a session's lifetime, as seed 004 names them. */
export interface TimeoutConfig {
  timeoutMinutes: number;
  autoRenew: boolean;
  maxDurationMinutes: number;
  warningThresholdMinutes: number;
}

export const TIMEOUT_BOUNDS = {
  timeoutMinutes: { min: 5, max: 1440 },
  maxDurationMinutes: { min: 1, max: 4320 },
  warningThresholdMinutes: { min: 1, max: 60 },
} as const;

export type BoundedTimeoutField = keyof typeof TIMEOUT_BOUNDS;

/**
 * Every way a timeout config breaks the contract, as messages naming the field.
 * Empty means valid. Shared by the env defaults, agent settings and session requests.
 */
export function timeoutConfigProblems(config: Partial<TimeoutConfig>): string[] {
  const problems: string[] = [];
  for (const field of Object.keys(TIMEOUT_BOUNDS) as BoundedTimeoutField[]) {
    const value = config[field];
    if (value === undefined) continue;
    const { min, max } = TIMEOUT_BOUNDS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${field} must be an integer from ${min} to ${max}`);
    }
  }
  if (config.autoRenew !== undefined && typeof config.autoRenew !== 'boolean') {
    problems.push('autoRenew must be a boolean');
  }
  const { timeoutMinutes, maxDurationMinutes } = config;
  if (timeoutMinutes !== undefined && maxDurationMinutes !== undefined && maxDurationMinutes < timeoutMinutes) {
    problems.push(`maxDurationMinutes (${maxDurationMinutes}) must not be below timeoutMinutes (${timeoutMinutes})`);
  }
  return problems;
}
