import { Body, Controller, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses, UuidParamPipe } from '@switchboard/common';
import { Actor, Principal, RequireScopes } from '@switchboard/auth';
import { entityIdOf } from './channel-access';
import { ChannelPost, ChannelPostingService } from './channel-posting.service';
import { MessagingService } from './messaging.service';
import { agentResponseOf, isStreaming, isSync, postAsEventStream } from './response-mode';
import { ChannelMessageDto, ChannelMessagePageDto, PostedChannelMessageDto } from './dto/channel-message.dto';
import { MessagesQueryDto } from './dto/messages-query.dto';
import { SendChannelMessageDto } from './dto/send-channel-message.dto';

const ChannelId = () => Param('channelId', new UuidParamPipe('channelId'));

@ApiTags('channels')
@ApiErrorResponses(401, 403)
@Controller('api/messaging/channels/:channelId/messages')
export class ChannelMessagesController {
  constructor(
    private readonly messaging: MessagingService,
    private readonly posting: ChannelPostingService,
  ) {}

  @Get()
  @RequireScopes('messaging:read')
  @ApiOperation({ summary: 'Channel history, newest first, with epoch-ms cursors' })
  @ApiOkResponse({ type: ChannelMessagePageDto })
  @ApiErrorResponses(400, 404)
  async list(@ChannelId() channelId: string, @Actor() actor: Principal, @Query() query: MessagesQueryDto): Promise<ChannelMessagePageDto> {
    await this.messaging.getChannelFor(channelId, actor);
    const page = await this.messaging.listMessages(channelId, query);
    return { ...page, messages: page.messages.map(ChannelMessageDto.from) };
  }

  @Post()
  @RequireScopes('messaging:write')
  @ApiOperation({ summary: 'Post a message; the channel\'s agents answer in the chosen response mode' })
  @ApiCreatedResponse({ type: PostedChannelMessageDto })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiErrorResponses(400, 404, 409, 413, 415, 429)
  async post(
    @ChannelId() channelId: string,
    @Actor() actor: Principal,
    @Body() dto: SendChannelMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostedChannelMessageDto | StreamableFile> {
    const mode = dto.transport ?? dto.mode;
    const input: ChannelPost = {
      authorId: dto.entityId ?? (actor.kind === 'api-key' ? entityIdOf(actor) : actor.sessionId),
      content: dto.text,
      metadata: dto.metadata,
      clientMessageId: dto.messageId,
      senderName: dto.senderName,
      source: 'api',
    };
    if (isStreaming(mode)) {
      reply.header('Cache-Control', 'no-cache');
      return postAsEventStream((observer) => this.posting.post(channelId, actor, input, observer), (posted) => ChannelMessageDto.from(posted.message));
    }
    const posted = await this.posting.post(channelId, actor, input);
    const body: PostedChannelMessageDto = { success: true, userMessage: ChannelMessageDto.from(posted.message) };
    return isSync(mode) ? { ...body, ...agentResponseOf(await posted.turn) } : body;
  }
}
