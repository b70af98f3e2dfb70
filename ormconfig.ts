import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '@switchboard/common';
import { dataSourceOptions } from '@switchboard/persistence';
import { AgentEntity, CommandEntity } from '@switchboard/agents';
import { ApiKeyEntity, SessionTokenEntity } from '@switchboard/auth';
import { SessionEntity } from '@switchboard/sessions';
import { ChannelEntity, MessageEntity, ParticipantEntity } from '@switchboard/messaging';
import { ServerIdentityEntity } from '@switchboard/realtime';

/** The TypeORM CLI's data source (`npm run migration:*`): the same DATABASE_URL and migrations as the app. */
export default new DataSource({
  ...dataSourceOptions(AppConfig.fromEnv().databaseUrl),
  entities: [ApiKeyEntity, SessionTokenEntity, AgentEntity, CommandEntity, SessionEntity, ChannelEntity, ParticipantEntity, MessageEntity, ServerIdentityEntity],
});
