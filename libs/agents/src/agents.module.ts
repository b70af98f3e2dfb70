import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentEntity } from './agent.entity';
import { CommandEntity } from './commands/command.entity';
import { CommandsController } from './commands/commands.controller';
import { CommandsRepository } from './commands/commands.repository';
import { CommandsService } from './commands/commands.service';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { AgentRuntimeService } from './runtime/agent-runtime.service';
import { EchoProvider } from './runtime/echo.provider';
import { OpenAiProvider } from './runtime/openai.provider';

@Module({
  imports: [TypeOrmModule.forFeature([AgentEntity, CommandEntity])],
  controllers: [AgentsController, CommandsController],
  providers: [AgentsRepository, AgentsService, EchoProvider, OpenAiProvider, AgentRuntimeService, CommandsRepository, CommandsService],
  exports: [AgentsService, AgentRuntimeService, CommandsService],
})
export class AgentsModule {}
