import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelEntity } from './channel.entity';
import { ChannelsRepository } from './channels.repository';
import { MessageEntity } from './message.entity';
import { MessagesRepository } from './messages.repository';
import { MessagingService } from './messaging.service';
import { ParticipantEntity } from './participant.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ChannelEntity, ParticipantEntity, MessageEntity])],
  providers: [ChannelsRepository, MessagesRepository, MessagingService],
  exports: [MessagingService],
})
export class MessagingModule {}
