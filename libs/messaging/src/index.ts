export * from './messaging.module';
export * from './messaging.service';
export * from './channel.entity';
export * from './participant.entity';
export * from './message.entity';
export * from './message-cursor';
export type { AppendResult } from './messages.repository';
