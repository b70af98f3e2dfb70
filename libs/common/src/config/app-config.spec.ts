import type { LogLevel } from '@nestjs/common';
import { AppConfig } from './app-config';
import { ConfigError } from './environment.schema';
import { errorThrownBy } from '../../../../test/utils/thrown';

const sut = (env: NodeJS.ProcessEnv): AppConfig => AppConfig.fromEnv(env);

describe('AppConfig.fromEnv', () => {
  it('runs with an empty environment on the defaults', () => {
    const config = sut({});

    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'sqlite:data/switchboard.sqlite',
      logLevel: 'log',
      sessionDefaults: { timeoutMinutes: 30, autoRenew: true, maxDurationMinutes: 720, warningThresholdMinutes: 5 },
      corsOrigins: [],
      rateLimits: { sessionPerMinute: 60, userPerHour: 1000, agentPerHour: 5000 },
      contentPolicy: 'reject-active-markup',
      wsCompressionThresholdBytes: 1024,
    });
    expect(config.adminToken).toBeUndefined();
    expect(config.serverId).toBeUndefined();
  });

  it.each<[string, NodeJS.ProcessEnv, (config: AppConfig) => unknown, unknown]>([
    ['PORT=8080', { PORT: '8080' }, (config) => config.port, 8080],
    ['PORT with surrounding spaces', { PORT: ' 8080 ' }, (config) => config.port, 8080],
    ['PORT empty falls back to 3000', { PORT: '' }, (config) => config.port, 3000],
    ['HOST unset: every interface', {}, (config) => config.host, undefined],
    ['HOST=127.0.0.1', { HOST: '127.0.0.1' }, (config) => config.host, '127.0.0.1'],
    ['HOST=::1', { HOST: '::1' }, (config) => config.host, '::1'],
    ['HOST=api.internal', { HOST: 'api.internal' }, (config) => config.host, 'api.internal'],
    ['a postgres:// DATABASE_URL', { DATABASE_URL: 'postgres://sb:secret@db:5432/switchboard' }, (config) => config.databaseUrl, 'postgres://sb:secret@db:5432/switchboard'],
    ['a postgresql:// DATABASE_URL', { DATABASE_URL: 'postgresql://db/switchboard' }, (config) => config.databaseUrl, 'postgresql://db/switchboard'],
    ['a sqlite: DATABASE_URL', { DATABASE_URL: 'sqlite:/var/lib/switchboard.sqlite' }, (config) => config.databaseUrl, 'sqlite:/var/lib/switchboard.sqlite'],
    ['LOG_LEVEL=debug', { LOG_LEVEL: 'debug' }, (config) => config.logLevel, 'debug'],
    ['SESSION_AUTO_RENEW=false', { SESSION_AUTO_RENEW: 'false' }, (config) => config.sessionDefaults.autoRenew, false],
    ['SESSION_AUTO_RENEW=FALSE', { SESSION_AUTO_RENEW: 'FALSE' }, (config) => config.sessionDefaults.autoRenew, false],
    ['SESSION_AUTO_RENEW=0', { SESSION_AUTO_RENEW: '0' }, (config) => config.sessionDefaults.autoRenew, false],
    ['SESSION_AUTO_RENEW=1', { SESSION_AUTO_RENEW: '1' }, (config) => config.sessionDefaults.autoRenew, true],
    [
      'session defaults within bounds',
      { SESSION_DEFAULT_TIMEOUT_MINUTES: '60', SESSION_MAX_DURATION_MINUTES: '120', SESSION_WARNING_THRESHOLD_MINUTES: '10' },
      (config) => config.sessionDefaults,
      { timeoutMinutes: 60, autoRenew: true, maxDurationMinutes: 120, warningThresholdMinutes: 10 },
    ],
    ['CORS_ORIGINS as a comma-separated list', { CORS_ORIGINS: 'https://a.example, https://b.example,' }, (config) => config.corsOrigins, ['https://a.example', 'https://b.example']],
    [
      'rate limits, 0 turning one off',
      { RATE_LIMIT_SESSION_PER_MINUTE: '0', RATE_LIMIT_USER_PER_HOUR: '20', RATE_LIMIT_AGENT_PER_HOUR: '100000' },
      (config) => config.rateLimits,
      { sessionPerMinute: 0, userPerHour: 20, agentPerHour: 100000 },
    ],
    ['HTTP timeouts unset: Node\'s headers and request timeouts, Fastify\'s keep-alive', {}, (config) => config.http, { headersTimeoutMs: 60_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 72_000 }],
    ['AUTH_FAILURES_PER_MINUTE unset: 30', {}, (config) => config.authFailuresPerMinute, 30],
    ['AUTH_FAILURES_PER_MINUTE=0 turns it off', { AUTH_FAILURES_PER_MINUTE: '0' }, (config) => config.authFailuresPerMinute, 0],
    ['HTTP_HEADERS_TIMEOUT_MS=5000', { HTTP_HEADERS_TIMEOUT_MS: '5000' }, (config) => config.http.headersTimeoutMs, 5000],
    ['SERVER_ID as a uuid', { SERVER_ID: '00000000-0000-4000-8000-000000000001' }, (config) => config.serverId, '00000000-0000-4000-8000-000000000001'],
    ['SERVER_ID as a name', { SERVER_ID: 'eu-west.blue' }, (config) => config.serverId, 'eu-west.blue'],
    ['CONTENT_POLICY=off', { CONTENT_POLICY: 'off' }, (config) => config.contentPolicy, 'off'],
    ['WS_COMPRESSION_THRESHOLD_BYTES=0 turns compression off', { WS_COMPRESSION_THRESHOLD_BYTES: '0' }, (config) => config.wsCompressionThresholdBytes, 0],
    ['AGENT_TURN_LEASE_SECONDS defaults to a little above the reply timeout', {}, (config) => config.agentTurnLeaseMs, 35_000],
    ['AGENT_TURN_LEASE_SECONDS follows AGENT_REPLY_TIMEOUT_MS', { AGENT_REPLY_TIMEOUT_MS: '1500' }, (config) => config.agentTurnLeaseMs, 7_000],
    ['AGENT_TURN_LEASE_SECONDS=3 with a 1.5-s reply timeout', { AGENT_REPLY_TIMEOUT_MS: '1500', AGENT_TURN_LEASE_SECONDS: '3' }, (config) => config.agentTurnLeaseMs, 3_000],
    ['turn sweep and shutdown grace defaults', {}, (config) => [config.agentTurnSweepSeconds, config.shutdownGraceSeconds], [5, 10]],
    ['LOG_FORMAT unset outside production: pretty', { NODE_ENV: 'development' }, (config) => config.logFormat, 'pretty'],
    ['LOG_FORMAT unset with NODE_ENV=production: json', { NODE_ENV: 'production' }, (config) => config.logFormat, 'json'],
    ['LOG_FORMAT=pretty in production', { NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, (config) => config.logFormat, 'pretty'],
    ['variables Switchboard does not read are ignored', { PATH: '/usr/bin', SWITCHBOARD_UNKNOWN: 'x' }, (config) => config.port, 3000],
    ['a 24-character SWITCHBOARD_ADMIN_TOKEN', { SWITCHBOARD_ADMIN_TOKEN: 'x'.repeat(24) }, (config) => config.adminToken, 'x'.repeat(24)],
  ])('accepts %s', (_case, env, read, expected) => {
    expect(read(sut(env))).toEqual(expected);
  });

  it.each<[NodeJS.ProcessEnv, string]>([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ HOST: 'http://localhost' }, 'HOST'],
    [{ HOST: 'two words' }, 'HOST'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ SESSION_DEFAULT_TIMEOUT_MINUTES: 'thirty' }, 'SESSION_DEFAULT_TIMEOUT_MINUTES'],
    [{ SESSION_AUTO_RENEW: 'maybe' }, 'SESSION_AUTO_RENEW'],
    [{ SWITCHBOARD_ADMIN_TOKEN: 'too-short' }, 'SWITCHBOARD_ADMIN_TOKEN'],
    [{ RATE_LIMIT_SESSION_PER_MINUTE: '-1' }, 'RATE_LIMIT_SESSION_PER_MINUTE'],
    [{ RATE_LIMIT_USER_PER_HOUR: 'many' }, 'RATE_LIMIT_USER_PER_HOUR'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ AUTH_FAILURES_PER_MINUTE: 'lots' }, 'AUTH_FAILURES_PER_MINUTE'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '70000', HTTP_REQUEST_TIMEOUT_MS: '60000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ HTTP_REQUEST_TIMEOUT_MS: 'soon' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '99' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ SERVER_ID: 'has spaces' }, 'SERVER_ID'],
    [{ SERVER_ID: 'x'.repeat(37) }, 'SERVER_ID'],
    [{ CONTENT_POLICY: 'strict' }, 'CONTENT_POLICY'],
    [{ WS_COMPRESSION_THRESHOLD_BYTES: '1kb' }, 'WS_COMPRESSION_THRESHOLD_BYTES'],
    [{ AGENT_TURN_LEASE_SECONDS: '30' }, 'AGENT_TURN_LEASE_SECONDS'],
    [{ AGENT_REPLY_TIMEOUT_MS: '5000', AGENT_TURN_LEASE_SECONDS: '5' }, 'AGENT_TURN_LEASE_SECONDS'],
    [{ AGENT_TURN_SWEEP_SECONDS: '0' }, 'AGENT_TURN_SWEEP_SECONDS'],
    [{ SHUTDOWN_GRACE_SECONDS: 'soon' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ SESSION_AUTO_RENEW: 'yes', PORT: 'abc' }, 'SESSION_AUTO_RENEW'],
    [{ SESSION_AUTO_RENEW: 'yes', PORT: 'abc' }, 'PORT'],
  ])('stops the start on %j with a ConfigError naming %s', (env, variable) => {
    const error = errorThrownBy(() => sut(env));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(variable);
  });

  describe('session defaults out of the timeout bounds', () => {
    const outOfBounds: Array<[NodeJS.ProcessEnv, string]> = [
      [{ SESSION_DEFAULT_TIMEOUT_MINUTES: '2' }, 'SESSION_DEFAULT_TIMEOUT_MINUTES'],
      [{ SESSION_MAX_DURATION_MINUTES: '4321' }, 'SESSION_MAX_DURATION_MINUTES'],
      [{ SESSION_MAX_DURATION_MINUTES: '10' }, 'SESSION_MAX_DURATION_MINUTES'],
      [{ SESSION_WARNING_THRESHOLD_MINUTES: '61' }, 'SESSION_WARNING_THRESHOLD_MINUTES'],
    ];

    it.each(outOfBounds)('stop the start on %j with a ConfigError', (env) => {
      expect(() => sut(env)).toThrow(ConfigError);
    });

    it.each(outOfBounds)('name the variable: %j → %s', (env, variable) => {
      expect(() => sut(env)).toThrow(variable);
    });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['the DATABASE_URL password', { DATABASE_URL: 'mysql://admin:hunter2@db/switchboard' }, 'hunter2'],
    ['the SWITCHBOARD_ADMIN_TOKEN', { SWITCHBOARD_ADMIN_TOKEN: 'sekrit-admin' }, 'sekrit-admin'],
    ['the REDIS_URL password', { REDIS_URL: 'redis//:hunter2@cache:6379' }, 'hunter2'],
  ])('does not print %s in the error', (_case, env, secret) => {
    expect(() => sut(env)).toThrow(ConfigError);
    expect(() => sut(env)).not.toThrow(secret);
  });
});

describe('AppConfig.enabledLogLevels', () => {
  it.each<[LogLevel, LogLevel[]]>([
    ['fatal', ['fatal']],
    ['error', ['fatal', 'error']],
    ['warn', ['fatal', 'error', 'warn']],
    ['log', ['fatal', 'error', 'warn', 'log']],
    ['debug', ['fatal', 'error', 'warn', 'log', 'debug']],
    ['verbose', ['fatal', 'error', 'warn', 'log', 'debug', 'verbose']],
  ])('LOG_LEVEL=%s prints %j', (logLevel, expected) => {
    expect(sut({ LOG_LEVEL: logLevel }).enabledLogLevels).toEqual(expected);
  });
});
