import { Test } from '@nestjs/testing';

/**
 * AppConfigModule as the app loads it: ConfigModule validates process.env when the module file is
 * first imported, so each start imports it afresh (and the classes with it).
 */
async function startWith(env: NodeJS.ProcessEnv) {
  vi.resetModules();
  process.env = { ...env };
  const [{ AppConfigModule }, { AppConfig }, { ConfigError }] = await Promise.all([import('./app-config.module'), import('./app-config'), import('./environment.schema')]);
  const started = Test.createTestingModule({ imports: [AppConfigModule] })
    .compile()
    .then((moduleRef) => moduleRef.get(AppConfig));
  return { started, AppConfig, ConfigError };
}

describe('AppConfigModule', () => {
  const original = process.env;

  afterEach(() => {
    process.env = original;
  });

  it('injects the AppConfig built from the validated process.env', async () => {
    const { started, AppConfig } = await startWith({ PORT: ' 8080 ', AGENT_REPLY_TIMEOUT_MS: '1500', SESSION_AUTO_RENEW: 'FALSE', NODE_ENV: 'production' });
    const config = await started;

    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({ port: 8080, agentReplyTimeoutMs: 1500, agentTurnLeaseMs: 7_000, logFormat: 'json', databaseUrl: 'sqlite:data/switchboard.sqlite' });
    expect(config.sessionDefaults.autoRenew).toBe(false);
  });

  it('stops the start on bad values with a ConfigError naming each variable, not printing the secret', async () => {
    const { started, ConfigError } = await startWith({ WS_HEARTBEAT_SECONDS: 'often', SWITCHBOARD_ADMIN_TOKEN: 'short-secret' });
    const error = await started.then(
      () => expect.unreachable('the start went on'),
      (reason: unknown) => reason as Error,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('WS_HEARTBEAT_SECONDS must be an integer from 1 to 3600, got "often"');
    expect(error.message).toContain('SWITCHBOARD_ADMIN_TOKEN must be at least 24 characters long');
    expect(error.message).not.toContain('short-secret');
  });
});
