import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '@switchboard/agents';
import { AuthModule } from '@switchboard/auth';
import { MessagingModule } from '@switchboard/messaging';
import { SessionEntity } from './session.entity';
import { SessionsController } from './sessions.controller';
import { SessionsHealthController } from './sessions-health.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SessionExpiryCron } from './session-expiry.cron';
import { SessionExpiryService } from './session-expiry.service';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), AgentsModule, MessagingModule, AuthModule],
  // The health route comes first so `/health` is never read as a session id.
  controllers: [SessionsHealthController, SessionsController],
  providers: [SessionsRepository, SessionsService, SessionExpiryService, SessionExpiryCron],
  exports: [SessionsService],
})
export class SessionsModule {}
