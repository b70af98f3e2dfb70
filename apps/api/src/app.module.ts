import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CommonModule } from '@switchboard/common';
import { PersistenceModule } from '@switchboard/persistence';
import { AgentsModule } from '@switchboard/agents';
import { AuthModule } from '@switchboard/auth';
import { MessagingModule } from '@switchboard/messaging';
import { OperationsModule } from '@switchboard/operations';
import { RealtimeModule } from '@switchboard/realtime';
import { SessionsModule } from '@switchboard/sessions';
import { ShutdownDrain } from './shutdown-drain';

@Module({
  imports: [ScheduleModule.forRoot(), CommonModule, PersistenceModule, AuthModule, AgentsModule, MessagingModule, SessionsModule, RealtimeModule, OperationsModule],
  providers: [ShutdownDrain],
})
export class AppModule {}
