import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthFailures } from './auth-failures';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RateLimiter } from './rate-limiter';
import { SessionTokenEntity } from './session-token.entity';
import { SessionTokensRepository } from './session-tokens.repository';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, SessionTokenEntity])],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, SessionTokensRepository, AuthService, AuthFailures, ApiKeysService, RateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AuthFailures, RateLimiter],
})
export class AuthModule {}
