import { ApiProperty } from '@nestjs/swagger';
import { JsonObject, toIso } from '@switchboard/common';
import { ChannelEntity, ChannelType } from '../channel.entity';
import { ParticipantEntity } from '../participant.entity';
import { ParticipantDto } from './create-channel.dto';

export class ChannelDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ nullable: true, type: String })
  name!: string | null;

  @ApiProperty({ enum: ['session', 'group'], description: 'session: owned by a session; group: created here' })
  type!: ChannelType;

  @ApiProperty({ type: [ParticipantDto] })
  participants!: ParticipantDto[];

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata!: JsonObject;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(channel: ChannelEntity, participants: ParticipantEntity[]): ChannelDto {
    return {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      participants: participants.map((p) => ({ entityId: p.entityId, kind: p.kind })),
      metadata: channel.metadata,
      createdAt: toIso(channel.createdAt),
    };
  }
}
