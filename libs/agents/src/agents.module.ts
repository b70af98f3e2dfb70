import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentEntity } from './agent.entity';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { AgentRuntimeService } from './runtime/agent-runtime.service';
import { EchoProvider } from './runtime/echo.provider';
import { OpenAiProvider } from './runtime/openai.provider';

@Module({
  imports: [TypeOrmModule.forFeature([AgentEntity])],
  controllers: [AgentsController],
  providers: [AgentsRepository, AgentsService, EchoProvider, OpenAiProvider, AgentRuntimeService],
  exports: [AgentsService, AgentRuntimeService],
})
export class AgentsModule {}
