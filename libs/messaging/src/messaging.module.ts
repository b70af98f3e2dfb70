import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '@switchboard/agents';
import { AuthModule } from '@switchboard/auth';
import { AgentEmotionEntity } from './agent-emotion.entity';
import { AgentHandoffEntity } from './agent-handoff.entity';
import { AgentEmotionsRepository } from './agent-emotions.repository';
import { AgentTurnEntity } from './agent-turn.entity';
import { ChannelEntity } from './channel.entity';
import { ChannelMessagesController } from './channel-messages.controller';
import { ChannelsController } from './channels.controller';
import { ChannelPostingService } from './channel-posting.service';
import { ChannelsRepository } from './channels.repository';
import { ConversationService } from './conversation.service';
import { HandoffService } from './handoff.service';
import { MessageEntity } from './message.entity';
import { MessagesRepository } from './messages.repository';
import { MessagingService } from './messaging.service';
import { ParticipantEntity } from './participant.entity';
import { TurnRelay } from './turn-relay';
import { TurnRunner } from './turn-runner.service';
import { TurnsCron } from './turns.cron';
import { TurnsRepository } from './turns.repository';

@Module({
  imports: [TypeOrmModule.forFeature([ChannelEntity, ParticipantEntity, MessageEntity, AgentTurnEntity, AgentEmotionEntity, AgentHandoffEntity]), AgentsModule, AuthModule],
  controllers: [ChannelsController, ChannelMessagesController],
  providers: [
    ChannelsRepository,
    MessagesRepository,
    TurnsRepository,
    AgentEmotionsRepository,
    MessagingService,
    TurnRelay,
    TurnRunner,
    TurnsCron,
    ConversationService,
    ChannelPostingService,
    HandoffService,
  ],
  exports: [MessagingService, ConversationService, TurnRunner, ChannelPostingService, HandoffService],
})
export class MessagingModule {}
