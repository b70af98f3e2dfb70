export * from './agents.module';
export * from './agents.service';
export * from './agent.entity';
export * from './runtime/agent-runtime';
export * from './runtime/agent-runtime.service';
export * from './commands/command.entity';
export * from './commands/command.dto';
export * from './commands/commands.service';
