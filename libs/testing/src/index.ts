export * from './switchboard-test-app';
export * from './fake-clock';
export * from './scripted-agent.provider';
export * from './test-database';
export * from './factories';
export * from './socket-io-clients';
export * from './ws-clients';
export * from './deadline';
