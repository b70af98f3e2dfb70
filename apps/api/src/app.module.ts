import { Module } from '@nestjs/common';
import { CommonModule } from '@switchboard/common';
import { PersistenceModule } from '@switchboard/persistence';
import { AgentsModule } from '@switchboard/agents';
import { SessionsModule } from '@switchboard/sessions';

@Module({
  imports: [CommonModule, PersistenceModule, AgentsModule, SessionsModule],
})
export class AppModule {}
