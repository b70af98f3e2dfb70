import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { insertRow } from '@switchboard/persistence';
import { ChannelEntity } from './channel.entity';
import { ParticipantEntity } from './participant.entity';

@Injectable()
export class ChannelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The channel and its first participants, all or nothing. */
  createWithParticipants(channel: ChannelEntity, participants: ParticipantEntity[]): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await insertRow(manager.getRepository(ChannelEntity), channel);
      if (participants.length > 0) await manager.insert(ParticipantEntity, participants);
    });
  }

  findById(id: string): Promise<ChannelEntity | null> {
    return this.dataSource.getRepository(ChannelEntity).findOneBy({ id });
  }

  findParticipants(channelId: string): Promise<ParticipantEntity[]> {
    return this.dataSource.getRepository(ParticipantEntity).find({ where: { channelId }, order: { joinedAt: 'ASC' } });
  }

  /** Deletes the channel; its participants, messages and owning session go with it (ON DELETE CASCADE). */
  async deleteById(id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(ChannelEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
