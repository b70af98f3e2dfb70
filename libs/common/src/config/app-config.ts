import { LogLevel } from '@nestjs/common';
import { TIMEOUT_BOUNDS, TimeoutConfig } from './timeout-config';

export const DEFAULT_DATABASE_URL = 'sqlite:data/switchboard.sqlite';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export const CONTENT_POLICIES = ['reject-active-markup', 'off'] as const;
export type ContentPolicy = (typeof CONTENT_POLICIES)[number];

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The whole configuration, read from the environment once and validated at boot. */
export class AppConfig {
  port!: number;
  /** The interface to listen on; unset means every interface. */
  host?: string;
  databaseUrl!: string;
  logLevel!: LogLevel;
  sessionDefaults!: TimeoutConfig;
  corsOrigins!: string[];
  adminToken?: string;
  /** Defaults for agents whose runtime provider is `openai`; the key never comes from the database. */
  openAi!: { baseUrl: string; apiKey?: string; model: string };
  /** How long an agent may take to finish a reply before the turn ends with an error. */
  agentReplyTimeoutMs!: number;
  /** How long a claimed agent turn is held before another instance may take it over. */
  agentTurnLeaseMs!: number;
  /** How often each instance looks for turns nobody holds (an instance died, or handed them back). */
  agentTurnSweepSeconds!: number;
  /** SIGTERM: how long the drain may take before the process exits regardless. */
  shutdownGraceSeconds!: number;
  /** Set: Socket.IO fans out through Redis, so several instances act as one. */
  redisUrl?: string;
  /** Prefix of the Redis channels, so deployments (and test runs) sharing a Redis stay apart. */
  redisKeyPrefix!: string;
  /** 0 turns the scheduled sweep off (tests run it by hand). */
  sweepIntervalSeconds!: number;
  /** How often /ws pings its clients; one that misses a ping is dropped at the next. */
  wsHeartbeatSeconds!: number;
  retentionMinutes!: number;
  /** How long a client may take over its headers, its whole request, and how long an idle keep-alive connection stays open. */
  http!: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Failed authentications a client address may make per minute before they are answered 429; 0 turns it off. */
  authFailuresPerMinute!: number;
  /** Seed 004's request limits; 0 turns one off. */
  rateLimits!: { sessionPerMinute: number; userPerHour: number; agentPerHour: number };
  /** Set: the deployment's `serverId`, instead of the one generated once and stored. */
  serverId?: string;
  /** Whether user messages carrying active markup (scripts, event handlers, …) are refused. */
  contentPolicy!: ContentPolicy;
  /** Socket.IO and /ws frames at least this large are sent permessage-deflate compressed; 0 turns compression off. */
  wsCompressionThresholdBytes!: number;

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const config = new AppConfig();
    config.port = integer(env, 'PORT', 3000, 0, 65535);
    config.host = host(env, 'HOST');
    config.databaseUrl = databaseUrl(env);
    config.logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log');
    const { timeoutMinutes, maxDurationMinutes, warningThresholdMinutes } = TIMEOUT_BOUNDS;
    config.sessionDefaults = {
      timeoutMinutes: integer(env, 'SESSION_DEFAULT_TIMEOUT_MINUTES', 30, timeoutMinutes.min, timeoutMinutes.max),
      autoRenew: boolean(env, 'SESSION_AUTO_RENEW', true),
      maxDurationMinutes: integer(env, 'SESSION_MAX_DURATION_MINUTES', 720, maxDurationMinutes.min, maxDurationMinutes.max),
      warningThresholdMinutes: integer(env, 'SESSION_WARNING_THRESHOLD_MINUTES', 5, warningThresholdMinutes.min, warningThresholdMinutes.max),
    };
    if (config.sessionDefaults.maxDurationMinutes < config.sessionDefaults.timeoutMinutes) {
      throw new ConfigError('SESSION_MAX_DURATION_MINUTES', `must not be below SESSION_DEFAULT_TIMEOUT_MINUTES (${config.sessionDefaults.timeoutMinutes})`);
    }
    config.corsOrigins = list(env, 'CORS_ORIGINS');
    config.adminToken = optionalSecret(env, 'SWITCHBOARD_ADMIN_TOKEN', 24);
    config.openAi = {
      baseUrl: url(env, 'OPENAI_BASE_URL', 'https://api.openai.com/v1', /^https?:\/\/.+/),
      apiKey: raw(env, 'OPENAI_API_KEY'),
      model: raw(env, 'OPENAI_MODEL') ?? 'gpt-4o-mini',
    };
    config.agentReplyTimeoutMs = integer(env, 'AGENT_REPLY_TIMEOUT_MS', 30_000, 100, 600_000);
    // A lease must outlast a reply that uses its whole timeout, or a live turn would be taken over.
    const shortestLeaseSeconds = Math.ceil(config.agentReplyTimeoutMs / 1000) + 1;
    config.agentTurnLeaseMs = integer(env, 'AGENT_TURN_LEASE_SECONDS', shortestLeaseSeconds + 4, shortestLeaseSeconds, 3600) * 1000;
    config.agentTurnSweepSeconds = integer(env, 'AGENT_TURN_SWEEP_SECONDS', 5, 1, 3600);
    config.shutdownGraceSeconds = integer(env, 'SHUTDOWN_GRACE_SECONDS', 10, 1, 600);
    config.redisUrl = raw(env, 'REDIS_URL') === undefined ? undefined : url(env, 'REDIS_URL', '', /^rediss?:\/\/.+/);
    config.redisKeyPrefix = raw(env, 'REDIS_KEY_PREFIX') ?? 'switchboard';
    config.wsHeartbeatSeconds = integer(env, 'WS_HEARTBEAT_SECONDS', 30, 1, 3600);
    config.sweepIntervalSeconds = integer(env, 'SESSION_SWEEP_INTERVAL_SECONDS', 30, 0, 3600);
    config.retentionMinutes = integer(env, 'SESSION_RETENTION_MINUTES', 60, 0, 525_600);
    config.http = {
      headersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 60_000, 100, 3_600_000),
      requestTimeoutMs: integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 300_000, 100, 3_600_000),
      keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 3_600_000),
    };
    if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
      throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not be above HTTP_REQUEST_TIMEOUT_MS (${config.http.requestTimeoutMs})`);
    }
    config.authFailuresPerMinute = integer(env, 'AUTH_FAILURES_PER_MINUTE', 30);
    config.rateLimits = {
      sessionPerMinute: integer(env, 'RATE_LIMIT_SESSION_PER_MINUTE', 60),
      userPerHour: integer(env, 'RATE_LIMIT_USER_PER_HOUR', 1000),
      agentPerHour: integer(env, 'RATE_LIMIT_AGENT_PER_HOUR', 5000),
    };
    config.serverId = serverId(env, 'SERVER_ID');
    config.contentPolicy = oneOf(env, 'CONTENT_POLICY', CONTENT_POLICIES, 'reject-active-markup');
    config.wsCompressionThresholdBytes = integer(env, 'WS_COMPRESSION_THRESHOLD_BYTES', 1024, 0, 16 * 1024 * 1024);
    return config;
  }

  /** Log levels Nest should print, from the configured one upwards in severity. */
  get enabledLogLevels(): LogLevel[] {
    return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(this.logLevel) + 1);
  }
}

function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function host(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = raw(env, name);
  if (value !== undefined && !/^[A-Za-z0-9.:-]+$/.test(value)) {
    throw new ConfigError(name, `must be a host name or an IP address such as 127.0.0.1 or ::, got "${value}"`);
  }
  return value;
}

function serverId(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = raw(env, name);
  if (value !== undefined && !/^[A-Za-z0-9._:-]{1,36}$/.test(value)) {
    throw new ConfigError(name, `must be 1 to 36 letters, digits or . _ : -, got "${value}"`);
  }
  return value;
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (raw(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function optionalSecret(env: NodeJS.ProcessEnv, name: string, minLength: number): string | undefined {
  const value = raw(env, name);
  if (value !== undefined && value.length < minLength) {
    throw new ConfigError(name, `must be at least ${minLength} characters long`);
  }
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string, pattern: RegExp): string {
  const value = raw(env, name) ?? fallback;
  if (!pattern.test(value)) throw new ConfigError(name, `must be a URL matching ${pattern}, got "${redactCredentials(value)}"`);
  return value;
}

function redactCredentials(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

function databaseUrl(env: NodeJS.ProcessEnv): string {
  const value = raw(env, 'DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (/^sqlite:.+/.test(value) || /^postgres(ql)?:\/\/.+/.test(value)) return value;
  throw new ConfigError('DATABASE_URL', `must be sqlite:<path> or postgres://…, got "${redactCredentials(value)}"`);
}
