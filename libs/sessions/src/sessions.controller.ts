import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, toIso, UuidParamPipe } from '@switchboard/common';
import { agentResponseOf, isStreaming, isSync, MessagesQueryDto, postAsEventStream } from '@switchboard/messaging';
import { Actor, Principal, RequireScopes } from '@switchboard/auth';
import { SentMessage, SessionsService } from './sessions.service';
import { CreateSessionDto } from './dto/create-session.dto';
import { ListSessionsQueryDto } from './dto/list-sessions-query.dto';
import { SendSessionMessageDto } from './dto/send-session-message.dto';
import { UpdateTimeoutDto } from './dto/update-timeout.dto';
import { CreatedSessionDto, SessionDto, SessionListDto, SessionSummaryDto, timeoutConfigOf, TimeoutUpdatedDto } from './dto/session.dto';
import { SentSessionMessageDto, SessionMessageDto, SessionMessagePageDto } from './dto/session-message.dto';

const SessionId = () => Param('sessionId', new UuidParamPipe('sessionId'));

@ApiTags('sessions')
@ApiErrorResponses(401, 403)
@Controller('api/messaging/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @RequireScopes('sessions:create')
  @ApiOperation({ summary: 'Create a session between a user and an agent, with its own channel' })
  @ApiCreatedResponse({ type: CreatedSessionDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 429)
  async create(@Actor() actor: Principal, @Body() dto: CreateSessionDto): Promise<CreatedSessionDto> {
    const { session, token } = await this.sessions.create(dto, actor);
    return { ...SessionDto.from(session, this.sessions.now()), token };
  }

  @Get()
  @RequireScopes('sessions:read')
  @ApiOperation({ summary: 'List sessions, newest first' })
  @ApiOkResponse({ type: SessionListDto })
  @ApiErrorResponses(400)
  async list(@Actor() actor: Principal, @Query() query: ListSessionsQueryDto): Promise<SessionListDto> {
    const filter = { agentId: query.agentId, userId: query.userId };
    const [[sessions, total], counts] = await Promise.all([
      this.sessions.list(actor, filter, query.status, query.limit, query.offset),
      this.sessions.counts(filter, actor),
    ]);
    const now = this.sessions.now();
    return {
      sessions: sessions.map((session) => SessionSummaryDto.from(session, now)),
      total,
      limit: query.limit,
      offset: query.offset,
      stats: { totalSessions: counts.total, activeSessions: counts.active, expiredSessions: counts.total - counts.active },
    };
  }

  @Get(':sessionId')
  @RequireScopes('sessions:read')
  @ApiOperation({ summary: 'Get a session' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrorResponses(400, 404, 410, 429)
  async get(@SessionId() sessionId: string, @Actor() actor: Principal): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.getLive(sessionId, actor), this.sessions.now());
  }

  @Delete(':sessionId')
  @HttpCode(200)
  @RequireScopes('sessions:write')
  @ApiOperation({ summary: 'End a session; its channel and messages are deleted with it', description: 'Its own key (or its session token) ends a session; sessions:manage ends any.' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ schema: { example: { success: true, message: 'Session … deleted successfully' } } })
  @ApiErrorResponses(400, 404, 410, 429)
  async remove(@SessionId() sessionId: string, @Actor() actor: Principal): Promise<{ success: true; message: string }> {
    await this.sessions.remove(sessionId, actor);
    return { success: true, message: `Session ${sessionId} deleted successfully` };
  }

  @Post(':sessionId/messages')
  @RequireScopes('sessions:write')
  @ApiOperation({ summary: 'Send a message in the session; auto-renews it when configured' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiCreatedResponse({ type: SentSessionMessageDto })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiErrorResponses(400, 404, 410, 413, 415, 429)
  async send(
    @SessionId() sessionId: string,
    @Actor() actor: Principal,
    @Body() dto: SendSessionMessageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SentSessionMessageDto | StreamableFile> {
    const mode = dto.transport ?? dto.mode;
    if (isStreaming(mode)) {
      reply.header('Cache-Control', 'no-cache');
      return postAsEventStream((observer) => this.sessions.sendMessage(sessionId, actor, dto, observer), (posted) => this.sentView(posted));
    }
    const sent = await this.sessions.sendMessage(sessionId, actor, dto);
    return isSync(mode) ? Object.assign(this.sentView(sent), agentResponseOf(await sent.turn)) : this.sentView(sent);
  }

  private sentView(posted: SentMessage): SentSessionMessageDto {
    // Assigned into the fresh message view, not spread from it (see SessionMessageDto.from).
    return Object.assign(SessionMessageDto.from(posted.message), {
      success: true as const,
      sessionStatus: {
        expiresAt: toIso(posted.session.expiresAt),
        renewalCount: posted.session.renewalCount,
        wasRenewed: posted.wasRenewed,
        isNearExpiration: this.sessions.isNearExpiration(posted.session),
      },
    });
  }

  @Get(':sessionId/messages')
  @RequireScopes('sessions:read')
  @ApiOperation({ summary: 'Message history, newest first, with epoch-ms cursors' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionMessagePageDto })
  @ApiErrorResponses(400, 404, 410, 429)
  async messages(@SessionId() sessionId: string, @Actor() actor: Principal, @Query() query: MessagesQueryDto): Promise<SessionMessagePageDto> {
    const page = await this.sessions.listMessages(sessionId, actor, query);
    return { ...page, messages: page.messages.map(SessionMessageDto.from) };
  }

  @Post(':sessionId/renew')
  @HttpCode(200)
  @RequireScopes('sessions:write')
  @ApiOperation({ summary: 'Renew the session by a full timeout, up to its maximum duration' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrorResponses(400, 404, 410, 422, 429)
  async renew(@SessionId() sessionId: string, @Actor() actor: Principal): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.renew(sessionId, actor), this.sessions.now());
  }

  @Patch(':sessionId/timeout')
  @RequireScopes('sessions:manage')
  @ApiOperation({ summary: 'Change the session\'s timeout config; expiry is recomputed from now' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: TimeoutUpdatedDto })
  @ApiErrorResponses(400, 404, 410, 413, 415, 429)
  async updateTimeout(@SessionId() sessionId: string, @Actor() actor: Principal, @Body() dto: UpdateTimeoutDto): Promise<TimeoutUpdatedDto> {
    const session = await this.sessions.updateTimeout(sessionId, actor, dto);
    return { sessionId, timeoutConfig: timeoutConfigOf(session), expiresAt: toIso(session.expiresAt), renewalCount: session.renewalCount };
  }

  @Post(':sessionId/heartbeat')
  @HttpCode(200)
  @RequireScopes('sessions:write')
  @ApiOperation({ summary: 'Keep the session alive without a message; auto-renews when configured' })
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrorResponses(400, 404, 410, 429)
  async heartbeat(@SessionId() sessionId: string, @Actor() actor: Principal): Promise<SessionDto> {
    return SessionDto.from(await this.sessions.heartbeat(sessionId, actor), this.sessions.now());
  }
}
