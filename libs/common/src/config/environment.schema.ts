import { applyDecorators, LogLevel } from '@nestjs/common';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidationArguments, validateSync } from 'class-validator';
import { TIMEOUT_BOUNDS } from './timeout-config';

export const DEFAULT_DATABASE_URL = 'sqlite:data/switchboard.sqlite';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** `pretty`: one readable line per entry, for a terminal; `json`: one JSON object per line, for a log pipeline. */
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const CONTENT_POLICIES = ['reject-active-markup', 'off'] as const;
export type ContentPolicy = (typeof CONTENT_POLICIES)[number];

/** A bad environment: the message names every variable to fix, and never prints a secret. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const { timeoutMinutes, maxDurationMinutes, warningThresholdMinutes } = TIMEOUT_BOUNDS;

/**
 * Every variable Switchboard reads, with its default, validated once at start (ConfigModule's
 * `validate`). Values arrive trimmed, empty ones as unset; numbers, booleans and lists come out parsed.
 */
export class EnvironmentVariables {
  @Integer(0, 65535)
  PORT = 3000;

  /** The interface to listen on; unset means every interface. */
  @IsOptional()
  @Pattern(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address such as 127.0.0.1 or ::')
  HOST?: string;

  @Pattern(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://…', { redactCredentials: true })
  DATABASE_URL = DEFAULT_DATABASE_URL;

  @OneOf(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'log';

  /** Default `json` when NODE_ENV=production, `pretty` otherwise. */
  @OneOf(LOG_FORMATS)
  LOG_FORMAT!: LogFormat;

  @IsOptional()
  @Expose()
  @IsString()
  NODE_ENV?: string;

  @Integer(timeoutMinutes.min, timeoutMinutes.max)
  SESSION_DEFAULT_TIMEOUT_MINUTES = 30;

  @Integer(maxDurationMinutes.min, maxDurationMinutes.max)
  @NotBelow('SESSION_DEFAULT_TIMEOUT_MINUTES')
  SESSION_MAX_DURATION_MINUTES = 720;

  @Integer(warningThresholdMinutes.min, warningThresholdMinutes.max)
  SESSION_WARNING_THRESHOLD_MINUTES = 5;

  @Flag()
  SESSION_AUTO_RENEW = true;

  @List()
  CORS_ORIGINS: string[] = [];

  /** A secret: only its length is checked, and no message prints it. */
  @IsOptional()
  @Expose()
  @MinLength(24, { message: 'must be at least 24 characters long' })
  SWITCHBOARD_ADMIN_TOKEN?: string;

  @Pattern(/^https?:\/\/.+/, 'must be an http(s):// URL', { redactCredentials: true })
  OPENAI_BASE_URL = 'https://api.openai.com/v1';

  /** A secret, read from the environment only (never the database, never a file). */
  @IsOptional()
  @Expose()
  @IsString()
  OPENAI_API_KEY?: string;

  @Expose()
  @IsString()
  OPENAI_MODEL = 'gpt-4o-mini';

  @Integer(100, 600_000)
  AGENT_REPLY_TIMEOUT_MS = 30_000;

  /** Default the reply timeout in seconds + 5; never below the reply timeout + 1 s, or a live turn would be taken over. */
  @Integer(1, 3600)
  @OutlastsReplyTimeout()
  AGENT_TURN_LEASE_SECONDS!: number;

  @Integer(1, 3600)
  AGENT_TURN_SWEEP_SECONDS = 5;

  @Integer(1, 600)
  SHUTDOWN_GRACE_SECONDS = 10;

  @IsOptional()
  @Pattern(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL', { redactCredentials: true })
  REDIS_URL?: string;

  @Expose()
  @IsString()
  REDIS_KEY_PREFIX = 'switchboard';

  @Integer(1, 3600)
  WS_HEARTBEAT_SECONDS = 30;

  @Integer(0, 3600)
  SESSION_SWEEP_INTERVAL_SECONDS = 30;

  @Integer(0, 525_600)
  SESSION_RETENTION_MINUTES = 60;

  @Integer(100, 3_600_000)
  @NotAbove('HTTP_REQUEST_TIMEOUT_MS')
  HTTP_HEADERS_TIMEOUT_MS = 60_000;

  @Integer(100, 3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 300_000;

  @Integer(100, 3_600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72_000;

  @Integer(0)
  AUTH_FAILURES_PER_MINUTE = 30;

  @Integer(0)
  RATE_LIMIT_SESSION_PER_MINUTE = 60;

  @Integer(0)
  RATE_LIMIT_USER_PER_HOUR = 1000;

  @Integer(0)
  RATE_LIMIT_AGENT_PER_HOUR = 5000;

  @IsOptional()
  @Pattern(/^[A-Za-z0-9._:-]{1,36}$/, 'must be 1 to 36 letters, digits or . _ : -')
  SERVER_ID?: string;

  @OneOf(CONTENT_POLICIES)
  CONTENT_POLICY: ContentPolicy = 'reject-active-markup';

  @Integer(0, 16 * 1024 * 1024)
  WS_COMPRESSION_THRESHOLD_BYTES = 1024;
}

/**
 * ConfigModule's `validate`: the environment as EnvironmentVariables, defaults filled in, or a
 * ConfigError naming each bad variable. Variables Switchboard does not read are left out.
 */
export function validateEnvironment(config: Record<string, unknown>): EnvironmentVariables {
  const set = Object.fromEntries(
    Object.entries(config)
      .map(([name, value]) => [name, typeof value === 'string' ? value.trim() : value])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const environment = plainToInstance(EnvironmentVariables, set, { excludeExtraneousValues: true, exposeDefaultValues: true });
  environment.LOG_FORMAT ??= environment.NODE_ENV === 'production' ? 'json' : 'pretty';
  if (Number.isInteger(environment.AGENT_REPLY_TIMEOUT_MS)) environment.AGENT_TURN_LEASE_SECONDS ??= shortestLeaseSeconds(environment.AGENT_REPLY_TIMEOUT_MS) + 4;
  const errors = validateSync(environment, { stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((error) => `${error.property} ${Object.values(error.constraints ?? {})[0] ?? 'is invalid'}`));
  }
  return environment;
}

function shortestLeaseSeconds(replyTimeoutMs: number): number {
  return Math.ceil(replyTimeoutMs / 1000) + 1;
}

/** Digits only (no sign, decimals or unit), from min to max. */
function Integer(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const message = ({ value }: ValidationArguments) => `must be an integer from ${min} to ${max}, got "${value}"`;
  return applyDecorators(
    Expose(),
    Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value)),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

/** true/1 or false/0, in any case. */
function Flag(): PropertyDecorator {
  const values: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };
  return applyDecorators(
    Expose(),
    Transform(({ value }) => (typeof value === 'string' ? (values[value.toLowerCase()] ?? value) : value)),
    IsBoolean({ message: ({ value }) => `must be true or false, got "${value}"` }),
  );
}

/** A comma-separated list; empty items are dropped. */
function List(): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value)),
  );
}

function OneOf(allowed: readonly string[]): PropertyDecorator {
  return applyDecorators(Expose(), IsIn(allowed, { message: ({ value }) => `must be one of ${allowed.join(', ')}, got "${value}"` }));
}

function Pattern(pattern: RegExp, problem: string, { redactCredentials = false } = {}): PropertyDecorator {
  const shown = (value: unknown) => (redactCredentials ? String(value).replace(/\/\/[^@/]*@/, '//***@') : String(value));
  return applyDecorators(Expose(), Matches(pattern, { message: ({ value }) => `${problem}, got "${shown(value)}"` }));
}

/** The variables that hold an integer. */
type IntegerVariable = { [K in keyof EnvironmentVariables]-?: EnvironmentVariables[K] extends number ? K : never }[keyof EnvironmentVariables];

function NotBelow(other: IntegerVariable): PropertyDecorator {
  return ValidateBy({
    name: 'notBelow',
    validator: {
      validate: (value, args) => typeof value !== 'number' || !(value < (args?.object as EnvironmentVariables)[other]),
      defaultMessage: (args) => `must not be below ${other} (${(args?.object as EnvironmentVariables)[other]})`,
    },
  });
}

function NotAbove(other: IntegerVariable): PropertyDecorator {
  return ValidateBy({
    name: 'notAbove',
    validator: {
      validate: (value, args) => typeof value !== 'number' || !(value > (args?.object as EnvironmentVariables)[other]),
      defaultMessage: (args) => `must not be above ${other} (${(args?.object as EnvironmentVariables)[other]})`,
    },
  });
}

function OutlastsReplyTimeout(): PropertyDecorator {
  const shortest = (args?: ValidationArguments) => shortestLeaseSeconds((args?.object as EnvironmentVariables).AGENT_REPLY_TIMEOUT_MS);
  return ValidateBy({
    name: 'outlastsReplyTimeout',
    validator: {
      validate: (value, args) => typeof value !== 'number' || value >= shortest(args),
      defaultMessage: (args) => `must be at least AGENT_REPLY_TIMEOUT_MS in seconds + 1 (${shortest(args)}), got "${args?.value}"`,
    },
  });
}
