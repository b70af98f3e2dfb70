import { Body, Controller, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrorResponses, ConflictError, UuidParamPipe } from '@switchboard/common';
import { Actor, Principal, RequireScopes } from '@switchboard/auth';
import { ConversationService, PostInput } from './conversation.service';
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
    private readonly conversation: ConversationService,
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
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async post(
    @ChannelId() channelId: string,
    @Body() dto: SendChannelMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostedChannelMessageDto | StreamableFile> {
    const { channel } = await this.messaging.getChannel(channelId);
    if (channel.type === 'session') {
      throw new ConflictError('This channel belongs to a session: send through the session so its expiry and renewal apply', {
        sessionId: channel.metadata.sessionId,
      });
    }
    const mode = dto.transport ?? dto.mode;
    const input: PostInput = {
      channelId,
      authorId: dto.entityId,
      isAgent: false,
      content: dto.text,
      metadata: dto.metadata,
      clientMessageId: dto.messageId,
      senderName: dto.senderName,
      source: 'api',
    };
    if (isStreaming(mode)) {
      reply.header('Cache-Control', 'no-cache');
      return postAsEventStream((observer) => this.conversation.post(input, observer), (posted) => ChannelMessageDto.from(posted.message));
    }
    const posted = await this.conversation.post(input);
    const body: PostedChannelMessageDto = { success: true, userMessage: ChannelMessageDto.from(posted.message) };
    return isSync(mode) ? { ...body, ...agentResponseOf(await posted.turn) } : body;
  }
}
