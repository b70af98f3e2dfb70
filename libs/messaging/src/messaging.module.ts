import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelEntity } from './channel.entity';
import { AgentsModule } from '@switchboard/agents';
import { ChannelMessagesController } from './channel-messages.controller';
import { ChannelsController } from './channels.controller';
import { ChannelsRepository } from './channels.repository';
import { ConversationService } from './conversation.service';
import { MessageEntity } from './message.entity';
import { MessagesRepository } from './messages.repository';
import { MessagingService } from './messaging.service';
import { ParticipantEntity } from './participant.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ChannelEntity, ParticipantEntity, MessageEntity]), AgentsModule],
  controllers: [ChannelsController, ChannelMessagesController],
  providers: [ChannelsRepository, MessagesRepository, MessagingService, ConversationService],
  exports: [MessagingService, ConversationService],
})
export class MessagingModule {}
