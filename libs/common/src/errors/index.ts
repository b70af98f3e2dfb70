export * from './switchboard.error';
export * from './error-classes';
export * from './to-switchboard-error';
