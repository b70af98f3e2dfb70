import { LogLevel } from '@nestjs/common';
import { ContentPolicy, EnvironmentVariables, LOG_LEVELS, LogFormat, validateEnvironment } from './environment.schema';
import { TimeoutConfig } from './timeout-config';

/**
 * The whole configuration, typed: what services inject. Built once from the variables ConfigModule
 * validated at start (AppConfigModule); the variables themselves are declared in environment.schema.ts.
 */
export class AppConfig {
  port!: number;
  /** The interface to listen on; unset means every interface. */
  host?: string;
  databaseUrl!: string;
  logLevel!: LogLevel;
  logFormat!: LogFormat;
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

  /** Validates a raw environment (default process.env) and builds the config from it; a bad value throws a ConfigError naming it. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const environment = validateEnvironment(env);
    return AppConfig.fromEnvironment((name) => environment[name]);
  }

  /** The typed config, from variables already validated (ConfigService's, in AppConfigModule). */
  static fromEnvironment(variable: <K extends keyof EnvironmentVariables>(name: K) => EnvironmentVariables[K]): AppConfig {
    const config = new AppConfig();
    config.port = variable('PORT');
    config.host = variable('HOST');
    config.databaseUrl = variable('DATABASE_URL');
    config.logLevel = variable('LOG_LEVEL');
    config.logFormat = variable('LOG_FORMAT');
    config.sessionDefaults = {
      timeoutMinutes: variable('SESSION_DEFAULT_TIMEOUT_MINUTES'),
      autoRenew: variable('SESSION_AUTO_RENEW'),
      maxDurationMinutes: variable('SESSION_MAX_DURATION_MINUTES'),
      warningThresholdMinutes: variable('SESSION_WARNING_THRESHOLD_MINUTES'),
    };
    config.corsOrigins = variable('CORS_ORIGINS');
    config.adminToken = variable('SWITCHBOARD_ADMIN_TOKEN');
    config.openAi = { baseUrl: variable('OPENAI_BASE_URL'), apiKey: variable('OPENAI_API_KEY'), model: variable('OPENAI_MODEL') };
    config.agentReplyTimeoutMs = variable('AGENT_REPLY_TIMEOUT_MS');
    config.agentTurnLeaseMs = variable('AGENT_TURN_LEASE_SECONDS') * 1000;
    config.agentTurnSweepSeconds = variable('AGENT_TURN_SWEEP_SECONDS');
    config.shutdownGraceSeconds = variable('SHUTDOWN_GRACE_SECONDS');
    config.redisUrl = variable('REDIS_URL');
    config.redisKeyPrefix = variable('REDIS_KEY_PREFIX');
    config.wsHeartbeatSeconds = variable('WS_HEARTBEAT_SECONDS');
    config.sweepIntervalSeconds = variable('SESSION_SWEEP_INTERVAL_SECONDS');
    config.retentionMinutes = variable('SESSION_RETENTION_MINUTES');
    config.http = {
      headersTimeoutMs: variable('HTTP_HEADERS_TIMEOUT_MS'),
      requestTimeoutMs: variable('HTTP_REQUEST_TIMEOUT_MS'),
      keepAliveTimeoutMs: variable('HTTP_KEEP_ALIVE_TIMEOUT_MS'),
    };
    config.authFailuresPerMinute = variable('AUTH_FAILURES_PER_MINUTE');
    config.rateLimits = {
      sessionPerMinute: variable('RATE_LIMIT_SESSION_PER_MINUTE'),
      userPerHour: variable('RATE_LIMIT_USER_PER_HOUR'),
      agentPerHour: variable('RATE_LIMIT_AGENT_PER_HOUR'),
    };
    config.serverId = variable('SERVER_ID');
    config.contentPolicy = variable('CONTENT_POLICY');
    config.wsCompressionThresholdBytes = variable('WS_COMPRESSION_THRESHOLD_BYTES');
    return config;
  }

  /** Log levels Nest should print, from the configured one upwards in severity. */
  get enabledLogLevels(): LogLevel[] {
    return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(this.logLevel) + 1);
  }
}
