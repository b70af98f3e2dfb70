export * from './schema.js';
export * from './realtime/socket-events.js';
export * from './realtime/ws-frames.js';
