export * from './sessions.module';
export * from './sessions.service';
export * from './session.entity';
export * from './timeout-policy';
export * from './session-expiry.cron';
export * from './session-expiry.service';
export { AttachmentDto } from './dto/send-session-message.dto';
