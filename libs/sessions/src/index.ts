export * from './sessions.module';
export * from './sessions.service';
export * from './session.entity';
export * from './timeout-policy';
