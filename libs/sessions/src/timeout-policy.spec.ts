import { InvalidTimeoutConfigError, TimeoutConfig } from '@switchboard/common';
import {
  autoRenewal,
  expiryAfterActivity,
  isNearExpiration,
  ManualRenewal,
  manualRenewal,
  resolveTimeoutConfig,
  SessionTiming,
  timeRemaining,
} from './timeout-policy';
import { errorThrownBy } from '../../../test/utils/thrown';

const minutes = (count: number): number => count * 60_000;
const createdAt = Date.UTC(2025, 0, 1, 9, 0);
const at = (minutesAfterCreation: number): number => createdAt + minutes(minutesAfterCreation);

const globalDefaults: TimeoutConfig = { timeoutMinutes: 30, autoRenew: true, maxDurationMinutes: 720, warningThresholdMinutes: 5 };
const config = (overrides: Partial<TimeoutConfig> = {}): TimeoutConfig => ({ ...globalDefaults, ...overrides });
const sessionExpiringAt = (minutesAfterCreation: number, overrides?: Partial<TimeoutConfig>): SessionTiming => ({
  createdAt,
  expiresAt: at(minutesAfterCreation),
  config: config(overrides),
});

describe('resolveTimeoutConfig', () => {
  const sut = resolveTimeoutConfig;

  it.each<[string, Array<Partial<TimeoutConfig> | undefined>, TimeoutConfig]>([
    ['no agent or session tier: the global defaults', [], globalDefaults],
    ['an agent tier overrides the global defaults', [{ timeoutMinutes: 60 }], config({ timeoutMinutes: 60 })],
    ['a session tier overrides the agent tier', [{ timeoutMinutes: 60 }, { timeoutMinutes: 90 }], config({ timeoutMinutes: 90 })],
    [
      'each tier overrides only the fields it names',
      [{ timeoutMinutes: 60, autoRenew: false }, { warningThresholdMinutes: 10 }],
      { timeoutMinutes: 60, autoRenew: false, maxDurationMinutes: 720, warningThresholdMinutes: 10 },
    ],
    ['an undefined value in the session tier keeps the agent value', [{ timeoutMinutes: 60 }, { timeoutMinutes: undefined }], config({ timeoutMinutes: 60 })],
    ['an undefined value in the agent tier keeps the global value', [{ autoRenew: undefined, timeoutMinutes: undefined }], globalDefaults],
    ['an agent without settings is skipped', [undefined, { timeoutMinutes: 45 }], config({ timeoutMinutes: 45 })],
    ['autoRenew false is a value, not an absence', [{ autoRenew: true }, { autoRenew: false }], config({ autoRenew: false })],
  ])('%s', (_case, tiers, expected) => {
    expect(sut(globalDefaults, ...tiers)).toEqual(expected);
  });

  it('leaves the global defaults untouched for the next session', () => {
    sut(globalDefaults, { timeoutMinutes: 60 }, { autoRenew: false });

    expect(globalDefaults).toEqual({ timeoutMinutes: 30, autoRenew: true, maxDurationMinutes: 720, warningThresholdMinutes: 5 });
  });

  it.each<[string, Partial<TimeoutConfig>]>([
    ['timeoutMinutes at its minimum of 5', { timeoutMinutes: 5 }],
    ['timeoutMinutes at its maximum of 1440', { timeoutMinutes: 1440, maxDurationMinutes: 1440 }],
    ['maxDurationMinutes at its maximum of 4320', { maxDurationMinutes: 4320 }],
    ['maxDurationMinutes equal to timeoutMinutes', { timeoutMinutes: 60, maxDurationMinutes: 60 }],
    ['warningThresholdMinutes at its minimum of 1', { warningThresholdMinutes: 1 }],
    ['warningThresholdMinutes at its maximum of 60', { warningThresholdMinutes: 60 }],
  ])('accepts %s as given', (_case, sessionTier) => {
    expect(sut(globalDefaults, sessionTier)).toEqual(config(sessionTier));
  });

  it.each<[Partial<TimeoutConfig>, string]>([
    [{ timeoutMinutes: 4 }, 'timeoutMinutes'],
    [{ timeoutMinutes: 1441, maxDurationMinutes: 4320 }, 'timeoutMinutes'],
    [{ timeoutMinutes: 30.5 }, 'timeoutMinutes'],
    [{ maxDurationMinutes: 0 }, 'maxDurationMinutes'],
    [{ maxDurationMinutes: 4321 }, 'maxDurationMinutes'],
    [{ warningThresholdMinutes: 0 }, 'warningThresholdMinutes'],
    [{ warningThresholdMinutes: 61 }, 'warningThresholdMinutes'],
    [{ timeoutMinutes: 60, maxDurationMinutes: 59 }, 'maxDurationMinutes (59) must not be below timeoutMinutes (60)'],
  ])('rejects %j with a 400 InvalidTimeoutConfigError naming %s, never clamping', (sessionTier, problem) => {
    const error = errorThrownBy(() => sut(globalDefaults, sessionTier));

    expect(error).toBeInstanceOf(InvalidTimeoutConfigError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_TIMEOUT_CONFIG', details: { problems: expect.arrayContaining([expect.stringContaining(problem)]) } });
  });

  it("rejects a session timeout longer than the agent's maxDuration", () => {
    const error = errorThrownBy(() => sut(globalDefaults, { maxDurationMinutes: 60 }, { timeoutMinutes: 90 }));

    expect(error).toMatchObject({ details: { problems: ['maxDurationMinutes (60) must not be below timeoutMinutes (90)'] } });
  });

  it('reports every problem at once', () => {
    const error = errorThrownBy(() => sut(globalDefaults, { timeoutMinutes: 2, warningThresholdMinutes: 61 }));

    expect(error).toMatchObject({
      message: expect.stringMatching(/timeoutMinutes.*warningThresholdMinutes/),
      details: { problems: [expect.stringContaining('timeoutMinutes'), expect.stringContaining('warningThresholdMinutes')] },
    });
  });
});

describe('expiryAfterActivity', () => {
  const sut = expiryAfterActivity;

  it.each<[string, TimeoutConfig, number, number]>([
    ['a full timeout after activity at creation', config(), at(0), at(30)],
    ['a full timeout after later activity', config(), at(100), at(130)],
    ['exactly the cap when the timeout reaches it', config(), at(690), at(720)],
    ['capped at createdAt + maxDuration', config(), at(700), at(720)],
    ['capped by a short maxDuration', config({ timeoutMinutes: 30, maxDurationMinutes: 40 }), at(20), at(40)],
  ])('%s', (_case, sessionConfig, activityAt, expected) => {
    expect(sut(createdAt, sessionConfig, activityAt)).toBe(expected);
  });
});

describe('autoRenewal', () => {
  const sut = autoRenewal;

  it.each<[string, SessionTiming, number, number | undefined]>([
    ['slides expiry to a full timeout after the activity', sessionExpiringAt(30), at(10), at(40)],
    ['slides only up to the maximum duration', sessionExpiringAt(700), at(695), at(720)],
    ['does nothing when autoRenew is false', sessionExpiringAt(30, { autoRenew: false }), at(10), undefined],
    ['does nothing once expiry sits at the maximum duration', sessionExpiringAt(720), at(700), undefined],
    ['does nothing when expiry would stay where it is', sessionExpiringAt(40), at(10), undefined],
    ['never moves expiry backwards', sessionExpiringAt(60), at(10), undefined],
  ])('%s', (_case, session, now, expected) => {
    expect(sut(session, now)).toBe(expected);
  });
});

describe('manualRenewal', () => {
  const sut = manualRenewal;

  it.each<[string, SessionTiming, number, ManualRenewal]>([
    ['extends to a full timeout from now', sessionExpiringAt(30), at(20), { expiresAt: at(50) }],
    ['works even when autoRenew is false', sessionExpiringAt(30, { autoRenew: false }), at(20), { expiresAt: at(50) }],
    ['extends only up to the maximum duration', sessionExpiringAt(710), at(700), { expiresAt: at(720) }],
    ['never shortens the current expiry', sessionExpiringAt(60), at(10), { expiresAt: at(60) }],
  ])('%s', (_case, session, now, expected) => {
    expect(sut(session, now)).toEqual(expected);
  });

  it.each<[string, SessionTiming]>([
    ['autoRenew true', sessionExpiringAt(720)],
    ['autoRenew false', sessionExpiringAt(720, { autoRenew: false })],
  ])('is refused once expiry reached the maximum duration (%s)', (_case, session) => {
    expect(sut(session, at(700))).toEqual({ refused: expect.stringContaining('720 minutes') });
  });
});

describe('isNearExpiration', () => {
  const sut = isNearExpiration;
  const expiresAt = at(30);

  it.each<[string, number, boolean]>([
    ['10 minutes left', expiresAt - minutes(10), false],
    ['1 ms more than the threshold left', expiresAt - minutes(5) - 1, false],
    ['exactly the threshold left', expiresAt - minutes(5), true],
    ['1 ms less than the threshold left', expiresAt - minutes(5) + 1, true],
    ['1 ms left', expiresAt - 1, true],
    ['exactly at expiry', expiresAt, false],
    ['after expiry', expiresAt + minutes(1), false],
  ])('with a 5-minute threshold and %s', (_case, now, expected) => {
    expect(sut(expiresAt, 5, now)).toBe(expected);
  });
});

describe('timeRemaining', () => {
  const sut = timeRemaining;
  const expiresAt = at(30);

  it.each<[string, number, number]>([
    ['before expiry', expiresAt - minutes(5), minutes(5)],
    ['exactly at expiry', expiresAt, 0],
    ['after expiry it is zero, never negative', expiresAt + minutes(5), 0],
  ])('%s', (_case, now, expected) => {
    expect(sut(expiresAt, now)).toBe(expected);
  });
});
