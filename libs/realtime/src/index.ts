export * from './realtime.module';
export * from './realtime-io.adapter';
export * from './realtime-auth.service';
export * from './room-access.service';
export * from './socket-message-type';
export * from './socket-io.fanout';
export * from './ws/ws.server';
export * from './ws/ws-envelope';
