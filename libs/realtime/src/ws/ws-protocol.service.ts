import { Injectable, Logger } from '@nestjs/common';
import { AgentsService, CommandDto, CommandsService } from '@switchboard/agents';
import { Clock, EventBus, JsonObject, ValidationError } from '@switchboard/common';
import { Scope, scopeRefusal } from '@switchboard/auth';
import { ConversationService, MessagingService } from '@switchboard/messaging';
import { SessionsService } from '@switchboard/sessions';
import { Room, RoomAccessService } from '../room-access.service';
import { SUBSCRIBABLE_EVENTS, SubscribableEvent, WsClient } from './ws-client';
import { optionalString, parseEnvelope, requireString, toWsError, WsEnvelope, WsProtocolError } from './ws-envelope';

const MAX_BATCH = 50;

/** The handlers of seed 003's message types. Each answers on the client, echoing the request id. */
@Injectable()
export class WsProtocolService {
  private readonly logger = new Logger(WsProtocolService.name);
  private readonly handlers: Record<string, (client: WsClient, request: WsEnvelope) => Promise<void>> = {
    chat: (c, r) => this.chat(c, r),
    command: (c, r) => this.command(c, r),
    subscribe: (c, r) => this.subscribe(c, r),
    unsubscribe: (c, r) => this.unsubscribe(c, r),
    join_conversation: (c, r) => this.joinConversation(c, r),
    agent_handoff: (c, r) => this.handoff(c, r),
    typing_start: (c, r) => this.typing(c, r, true),
    typing_stop: (c, r) => this.typing(c, r, false),
    status: (c, r) => this.status(c, r),
    ping: async (c, r) => c.send('pong', {}, r.id),
    // The answer to the server's JSON heartbeat: receiving it already marked the client alive.
    pong: async () => undefined,
    batch: (c, r) => this.batch(c, r),
  };

  constructor(
    private readonly rooms: RoomAccessService,
    private readonly agents: AgentsService,
    private readonly commands: CommandsService,
    private readonly sessions: SessionsService,
    private readonly conversation: ConversationService,
    private readonly messaging: MessagingService,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Runs one request; every failure is answered as an `error` frame and never closes the connection. */
  async handle(client: WsClient, request: WsEnvelope): Promise<void> {
    // Own properties only: `__proto__` or `toString` name no message type.
    const handler = Object.hasOwn(this.handlers, request.type) ? this.handlers[request.type] : undefined;
    try {
      if (!handler) {
        throw new WsProtocolError('INVALID_MESSAGE', `Unknown message type "${request.type}"`, { type: request.type, known: Object.keys(this.handlers) });
      }
      await handler(client, request);
    } catch (error) {
      const wsError = toWsError(error);
      // Failures already put in protocol terms (an agent that failed) were logged where they happened.
      if (wsError.code === 'INTERNAL_ERROR' && !(error instanceof WsProtocolError)) {
        this.logger.error(`/ws ${request.type} failed: ${(error as Error).stack ?? String(error)}`);
      }
      client.sendError(request, wsError);
    }
  }

  private async chat(client: WsClient, request: WsEnvelope): Promise<void> {
    const started = performance.now();
    const data = request.data ?? {};
    const text = requireString(data, 'message');
    const target = request.targetAgent ? await this.agents.resolve(request.targetAgent) : undefined;
    if (target && target.status !== 'active') {
      throw new WsProtocolError('AGENT_NOT_FOUND', `Agent ${target.name} is inactive and answers no chat`, { agentId: target.id, status: target.status });
    }
    const room = await this.conversationFor(client, optionalString(data, 'conversationId'), target?.id);
    client.follow(room.channelId);
    const posted = await this.rooms.post(room, client.identity.principal, client.identity.entityId, { content: text, messageId: optionalString(data, 'messageId'), source: 'ws' });
    const results = await posted.turn;
    const answer = results.find((r) => r.agentId === target?.id) ?? results[0];
    if (answer?.error) throw new WsProtocolError('INTERNAL_ERROR', answer.error.message, { agentId: answer.agentId, agentError: answer.error.code });
    client.send(
      'chat_response',
      {
        response: answer?.reply?.content ?? null,
        agentId: answer?.agentId ?? target?.id ?? null,
        processingTime: Math.round(performance.now() - started),
        emotion: answer?.emotion ?? 'neutral',
        conversationId: room.sessionId ?? room.channelId,
        messageId: answer?.reply?.id ?? null,
        userMessageId: posted.message.id,
        thought: answer?.reply?.thought ?? null,
        actions: answer?.reply?.actions ?? [],
        duplicate: !posted.created,
      },
      request.id,
    );
  }

  /**
   * The conversation a chat goes to: the one named, else a session token's own session, else the
   * one this connection already has with the agent, else a new channel of this user and the agent.
   */
  private async conversationFor(client: WsClient, conversationId: string | undefined, agentId: string | undefined): Promise<Room> {
    const { principal, entityId } = client.identity;
    if (conversationId) return this.rooms.resolve(conversationId, principal, 'write');
    if (principal.kind === 'session') return this.rooms.resolve(principal.sessionId, principal, 'write');
    if (!agentId) throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: targetAgent (or data.conversationId)' });
    const existing = client.conversationWithAgent.get(agentId);
    if (existing) return this.rooms.resolve(existing, principal, 'write');
    this.requireScopes(client, ['messaging:write']);
    const channel = await this.messaging.createChannel({
      type: 'group',
      participants: [
        { entityId, kind: 'user' },
        { entityId: agentId, kind: 'agent' },
      ],
      name: `ws:${entityId}`,
      metadata: { origin: 'ws' },
      createdBy: principal.keyId,
    });
    client.conversationWithAgent.set(agentId, channel.id);
    return { channelId: channel.id, sessionId: null };
  }

  private async command(client: WsClient, request: WsEnvelope): Promise<void> {
    this.requireScopes(client, ['agents:manage']);
    const data = request.data ?? {};
    const instruction = requireString(data, 'instruction');
    const parameters = data.parameters ?? {};
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw new ValidationError('data.parameters must be an object');
    if (!request.targetAgent) throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: targetAgent' });
    const agent = await this.agents.resolve(request.targetAgent);
    await this.commands.execute(
      agent,
      instruction,
      parameters as JsonObject,
      client.identity.entityId,
      (command) => client.send('command_result', CommandDto.from(command), request.id),
      request.priority,
    );
  }

  private async subscribe(client: WsClient, request: WsEnvelope): Promise<void> {
    this.requireScopes(client, ['agents:read']);
    const data = request.data ?? {};
    if (data.stream !== undefined) {
      if (data.stream !== 'thoughts') throw new ValidationError('data.stream must be "thoughts"', { stream: data.stream });
      // Thoughts carry what agents think about any conversation: only keys that may read every session.
      this.requireScopes(client, ['sessions:manage']);
      const agentId = optionalString(data, 'agentId');
      const agent = agentId ? await this.agents.resolve(agentId) : undefined;
      const filter = (data.filter ?? {}) as Record<string, unknown>;
      const minImportance = filter.minImportance ?? 0;
      if (typeof minImportance !== 'number' || minImportance < 0 || minImportance > 1) throw new ValidationError('data.filter.minImportance must be a number from 0 to 1');
      client.thoughtStreams.push({ agentId: agent?.id, minImportance });
      client.send('subscribed', { stream: 'thoughts', agentId: agent?.id ?? null, filter: { minImportance } }, request.id);
      return;
    }
    const events = this.eventNames(data);
    events.forEach((event) => client.events.add(event));
    client.send('subscribed', { events: [...client.events] }, request.id);
  }

  private async unsubscribe(client: WsClient, request: WsEnvelope): Promise<void> {
    const data = request.data ?? {};
    if (data.stream === 'thoughts') client.thoughtStreams.splice(0);
    else this.eventNames(data).forEach((event) => client.events.delete(event));
    client.send('unsubscribed', { events: [...client.events], streams: client.thoughtStreams.length > 0 ? ['thoughts'] : [] }, request.id);
  }

  private eventNames(data: Record<string, unknown>): SubscribableEvent[] {
    const events = data.events;
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => SUBSCRIBABLE_EVENTS.includes(e as SubscribableEvent))) {
      throw new ValidationError(`data.events must list some of ${SUBSCRIBABLE_EVENTS.join(', ')}`, { events });
    }
    return events as SubscribableEvent[];
  }

  private async joinConversation(client: WsClient, request: WsEnvelope): Promise<void> {
    const data = request.data ?? {};
    const room = await this.rooms.resolve(requireString(data, 'conversationId', 64), client.identity.principal, 'read');
    const agentNames = data.agents ?? [];
    if (!Array.isArray(agentNames) || !agentNames.every((a) => typeof a === 'string')) throw new ValidationError('data.agents must be a list of agent ids or names');
    if (agentNames.length > 0) {
      this.requireScopes(client, ['messaging:write']);
      const agents = await Promise.all(agentNames.map((name: string) => this.agents.resolve(name)));
      await this.messaging.addParticipants(room.channelId, agents.map((agent) => ({ entityId: agent.id, kind: 'agent' as const })));
    }
    client.follow(room.channelId);
    const { participants } = await this.messaging.getChannel(room.channelId);
    client.send(
      'conversation_joined',
      { conversationId: room.sessionId ?? room.channelId, channelId: room.channelId, participants: participants.map((p) => ({ entityId: p.entityId, kind: p.kind })) },
      request.id,
    );
  }

  private async handoff(client: WsClient, request: WsEnvelope): Promise<void> {
    const data = request.data ?? {};
    const room = await this.rooms.resolve(requireString(data, 'conversationId', 64), client.identity.principal, 'write');
    this.requireScopes(client, ['messaging:write']);
    const [from, to] = await Promise.all([this.agents.resolve(requireString(data, 'fromAgent', 255)), this.agents.resolve(requireString(data, 'toAgent', 255))]);
    if (!(await this.messaging.removeParticipant(room.channelId, from.id))) {
      throw new WsProtocolError('INVALID_MESSAGE', `Agent ${from.name} is not in this conversation`, { fromAgent: from.id });
    }
    await this.messaging.addParticipants(room.channelId, [{ entityId: to.id, kind: 'agent' }]);
    if (room.sessionId) await this.sessions.reassignAgent(room.sessionId, to.id);
    const reason = optionalString(data, 'reason') ?? null;
    client.follow(room.channelId);
    this.events.emit('conversation.handoff', { channelId: room.channelId, sessionId: room.sessionId, fromAgent: from.id, toAgent: to.id, reason });
    client.send('handoff_complete', { conversationId: room.sessionId ?? room.channelId, fromAgent: from.id, toAgent: to.id, reason }, request.id);
  }

  private async typing(client: WsClient, request: WsEnvelope, isTyping: boolean): Promise<void> {
    const conversationId = request.conversationId ?? (request.data?.conversationId as string | undefined);
    if (typeof conversationId !== 'string') throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: conversationId' });
    const room = await this.rooms.resolve(conversationId, client.identity.principal, 'read');
    this.events.emit('channel.typing', { ...room, entityId: client.identity.entityId, isTyping, origin: client.id });
    if (request.id !== undefined) client.send(isTyping ? 'typing_started' : 'typing_stopped', { conversationId }, request.id);
  }

  private async status(client: WsClient, request: WsEnvelope): Promise<void> {
    this.requireScopes(client, ['agents:read']);
    if (!request.targetAgent) throw new WsProtocolError('INVALID_MESSAGE', 'Message format is invalid', { reason: 'Missing required field: targetAgent' });
    const agent = await this.agents.resolve(request.targetAgent);
    const [queueLength, emotion] = await Promise.all([this.conversation.pendingTurnsOf(agent.id), this.conversation.emotionOf(agent.id)]);
    client.send(
      'status_update',
      {
        agentId: agent.id,
        name: agent.name,
        status: agent.status,
        currentTask: queueLength > 0 ? 'processing_request' : 'idle',
        queueLength,
        uptime: Math.max(0, this.clock.now() - agent.createdAt),
        emotion,
      },
      request.id,
    );
  }

  /** Each message runs in order and is answered on its own; one failing does not stop the rest. */
  private async batch(client: WsClient, request: WsEnvelope): Promise<void> {
    const messages = request.data?.messages;
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_BATCH) {
      throw new ValidationError(`data.messages must hold 1 to ${MAX_BATCH} messages`);
    }
    for (const [index, raw] of messages.entries()) {
      const fallbackId = `${request.id ?? 'batch'}:${index}`;
      let message: WsEnvelope;
      try {
        message = parseEnvelope(raw);
      } catch (error) {
        client.sendError({ id: fallbackId }, error);
        continue;
      }
      const id = message.id ?? fallbackId;
      if (message.type === 'batch') client.sendError({ id }, new WsProtocolError('INVALID_MESSAGE', 'A batch cannot contain a batch'));
      else await this.handle(client, { ...message, id, targetAgent: message.targetAgent ?? request.targetAgent });
    }
    client.send('batch_complete', { count: messages.length }, request.id);
  }

  private requireScopes(client: WsClient, scopes: Scope[]): void {
    // A session token holds none of the scopes /ws asks for here, so it is refused as well.
    const refusal = scopeRefusal(client.identity.principal.scopes, { scopes });
    if (refusal) throw new WsProtocolError('UNAUTHORIZED', refusal.message, refusal.details);
  }
}
