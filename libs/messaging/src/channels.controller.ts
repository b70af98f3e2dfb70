import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidParamPipe } from '@switchboard/common';
import { Actor, Principal, RequireScopes } from '@switchboard/auth';
import { AgentsService } from '@switchboard/agents';
import { MessagingService } from './messaging.service';
import { ChannelDto } from './dto/channel.dto';
import { CreateChannelDto } from './dto/create-channel.dto';

@ApiTags('channels')
@ApiErrorResponses(401, 403)
@Controller('api/channels')
export class ChannelsController {
  constructor(
    private readonly messaging: MessagingService,
    private readonly agents: AgentsService,
  ) {}

  @Post()
  @RequireScopes('messaging:write')
  @ApiOperation({
    summary: 'Create a channel (a room without a session); its agent participants answer user messages',
    description: 'The channel belongs to the key that creates it and to the keys listed as user participants (by key id); others get 404.',
  })
  @ApiCreatedResponse({ type: ChannelDto })
  @ApiErrorResponses(400, 404, 413, 415)
  async create(@Body() dto: CreateChannelDto, @Actor() actor: Principal): Promise<ChannelDto> {
    const participants = dto.participants ?? [];
    for (const participant of participants.filter((p) => p.kind === 'agent')) await this.agents.get(participant.entityId);
    const createdBy = actor.kind === 'api-key' ? actor.keyId : null;
    const channel = await this.messaging.createChannel({ type: 'group', participants, name: dto.name ?? null, metadata: dto.metadata ?? {}, createdBy });
    return ChannelDto.from(channel, (await this.messaging.getChannel(channel.id)).participants);
  }

  @Get(':channelId')
  @RequireScopes('messaging:read')
  @ApiOperation({ summary: 'Get a channel with its participants' })
  @ApiOkResponse({ type: ChannelDto })
  @ApiErrorResponses(400, 404)
  async get(@Param('channelId', new UuidParamPipe('channelId')) channelId: string, @Actor() actor: Principal): Promise<ChannelDto> {
    const { channel, participants } = await this.messaging.getChannelFor(channelId, actor);
    return ChannelDto.from(channel, participants);
  }
}
