import 'reflect-metadata';
import { AgentsService } from '@switchboard/agents';
import { AuthService, RateLimiter } from '@switchboard/auth';
import { AppConfig, Clock, EventBus } from '@switchboard/common';
import { ConversationService, MessagingService } from '@switchboard/messaging';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

describe('SessionsService', () => {
  const sut = SessionsService;

  it('carries its constructor parameter types in order, so Nest can inject them', () => {
    expect(Reflect.getMetadata('design:paramtypes', sut)).toEqual([
      SessionsRepository,
      AgentsService,
      MessagingService,
      ConversationService,
      AuthService,
      EventBus,
      AppConfig,
      Clock,
      RateLimiter,
    ]);
  });
});
