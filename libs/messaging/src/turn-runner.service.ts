import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { AgentEntity, AgentRuntimeError, AgentRuntimeService, AgentsService, ConversationTurn, ReplyPart } from '@switchboard/agents';
import { AppConfig, Clock, EventBus, Metrics, timeOrderedUuid } from '@switchboard/common';
import { AgentEmotionsRepository } from './agent-emotions.repository';
import { ChannelsRepository } from './channels.repository';
import { MessageEntity } from './message.entity';
import { MessagesRepository } from './messages.repository';
import { MessagingService } from './messaging.service';
import { TurnProgress, TurnResult, TurnWaiters } from './turn-progress';
import { TurnRelay } from './turn-relay';
import { agentsStillToAnswer, claimableTurn, leaseEnd } from './turn-schedule';
import { ClaimedTurn, NextTurn, TurnsRepository } from './turns.repository';

const HISTORY_MESSAGES = 20;
const NEUTRAL = 'neutral';
const DEFAULT_IMPORTANCE = 0.5;
const SWEEP_BATCH = 100;

class HandedBack extends Error {}

interface Running {
  turn: ClaimedTurn;
  cancel: AbortController;
  done: Promise<void>;
}

/**
 * Runs agent turns: claims the head turn of a channel under a lease, has the channel's agents answer
 * it, stores their replies through MessagingService, and moves on to the channel's next turn. Any
 * instance may run any turn; the turn rows and their leases keep one turn per channel running at a
 * time across all of them, in stored order. What waits for a turn hears of it through TurnWaiters
 * here, or through the relay on another instance.
 */
@Injectable()
export class TurnRunner {
  private readonly logger = new Logger(TurnRunner.name);
  /** This process, as a turn's owner: a restarted instance is someone else. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly waiters = new TurnWaiters();
  private readonly running = new Map<string, Running>();
  /**
   * How many of `running` each channel has. Usually one; two when a turn has committed its end and
   * is still announcing it (the agent's emotion) while the channel's next turn already started here.
   */
  private readonly runningPerChannel = new Map<string, number>();
  private draining = false;

  constructor(
    private readonly messaging: MessagingService,
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsRepository,
    private readonly turns: TurnsRepository,
    private readonly emotions: AgentEmotionsRepository,
    private readonly agents: AgentsService,
    private readonly runtime: AgentRuntimeService,
    private readonly relay: TurnRelay,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {
    relay.onProgress((progress) => this.waiters.deliver(progress));
    relay.onWork((channelId) => this.kick(channelId));
    metrics.countAgentTurnsWith(() => turns.countByState(clock.now()));
  }

  /** The lease a turn enqueued now would be claimed with. */
  newLeaseEnd(): number {
    return leaseEnd(this.clock.now(), this.config.agentTurnLeaseMs);
  }

  /** Runs a turn this instance claimed when it stored the message, then the channel's next ones. */
  start(turn: ClaimedTurn, message: MessageEntity): void {
    void this.drive(turn.channelId, { turn, message });
  }

  /**
   * The channel may have a turn nobody holds: claim it if so, and go on with the channel. Not while
   * a turn of the channel runs here: it is the channel's head (one claim per channel), held, and
   * ending it claims the next turn in the same commit, so a claim now could only find it held. (In
   * the moment after that commit, while the ended turn still announces itself, a turn handed back
   * meanwhile by a draining instance waits for the sweep instead.)
   */
  kick(channelId: string): void {
    if (this.runningPerChannel.has(channelId)) return;
    void this.drive(channelId, null);
  }

  /** Looks for turns nobody holds (their instance died, or handed them back) and runs them. */
  async sweep(): Promise<void> {
    if (this.draining) return;
    const channelIds = await this.turns.channelsWithUnheldTurns(this.clock.now(), SWEEP_BATCH);
    channelIds.forEach((channelId) => this.kick(channelId));
  }

  /**
   * Requests waiting here for a turn whose progress never reached them (lost on the relay, or no
   * relay at all): once the turn is gone, they get its stored replies.
   */
  async settleLostWaiters(olderThanMs: number): Promise<void> {
    for (const messageId of this.waiters.waitingSince(this.clock.now() - olderThanMs)) {
      if (this.running.has(messageId) || (await this.turns.exists(messageId))) continue;
      this.waiters.deliver({ kind: 'turn-ended', inReplyTo: messageId, results: await this.storedResults(messageId) });
    }
  }

  /** A message's turn as it stands in the store: its replies, and each agent's emotion now. */
  async storedResults(messageId: string): Promise<TurnResult[]> {
    const replies = await this.messaging.repliesTo(messageId);
    return Promise.all(replies.map(async (reply) => ({ agentId: reply.authorId, reply, error: null, emotion: await this.emotionOf(reply.authorId) })));
  }

  async emotionOf(agentId: string): Promise<string> {
    return (await this.emotions.find(agentId)) ?? NEUTRAL;
  }

  /**
   * The drain: claims no more turns, lets running ones finish until `handBackAt`, then cancels the
   * rest and hands their leases back for another instance to take at once.
   */
  async drain(handBackAfterMs: number): Promise<void> {
    this.draining = true;
    const all = () => Promise.all([...this.running.values()].map((running) => running.done));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), handBackAfterMs)));
    const outcome = await Promise.race([all(), late]);
    clearTimeout(timer);
    if (outcome !== 'late') return;
    for (const running of this.running.values()) running.cancel.abort();
    await all();
  }

  private async drive(channelId: string, first: NextTurn | null): Promise<void> {
    try {
      let next = first ?? (await this.claimNext(channelId));
      while (next) next = await this.execute(next.turn, next.message);
    } catch (error) {
      this.logger.error(`Turns of channel ${channelId} stopped: ${(error as Error).message}; the sweep will resume them`);
    }
  }

  private async claimNext(channelId: string): Promise<NextTurn | null> {
    if (this.draining) return null;
    const now = this.clock.now();
    const candidate = claimableTurn(await this.turns.findHead(channelId), now);
    // Running here already: its lease looks over only because the clock moved (tests move it by hand).
    if (!candidate || this.running.has(candidate.messageId)) return null;
    const turn = await this.turns.claim(candidate as ClaimedTurn, this.owner, leaseEnd(now, this.config.agentTurnLeaseMs), now);
    return turn ? { turn, message: null } : null;
  }

  /** Runs the turn; resolves with the channel's next turn when ending this one claimed it. */
  private execute(turn: ClaimedTurn, message: MessageEntity | null): Promise<NextTurn | null> {
    const cancel = new AbortController();
    const { channelId, messageId } = turn;
    const done = this.answer(turn, message, cancel.signal).finally(() => {
      this.running.delete(messageId);
      const left = (this.runningPerChannel.get(channelId) ?? 1) - 1;
      if (left > 0) this.runningPerChannel.set(channelId, left);
      else this.runningPerChannel.delete(channelId);
    });
    this.running.set(messageId, { turn, cancel, done: done.then(() => undefined, () => undefined) });
    this.runningPerChannel.set(channelId, (this.runningPerChannel.get(channelId) ?? 0) + 1);
    return done;
  }

  /** While draining, the next turn is left for the other instances, and they are told. */
  private nextClaim(): { leaseUntil: number } | undefined {
    return this.draining ? undefined : { leaseUntil: this.newLeaseEnd() };
  }

  private async finish(turn: ClaimedTurn): Promise<NextTurn | null> {
    const next = this.nextClaim();
    const claimed = await this.turns.finish(turn, this.owner, next);
    if (!next) this.relay.publishWork(turn.channelId);
    return claimed;
  }

  private async answer(turn: ClaimedTurn, known: MessageEntity | null, cancel: AbortSignal): Promise<NextTurn | null> {
    const message = known ?? (await this.messages.findInChannel(turn.channelId, turn.messageId));
    if (!message) return this.finish(turn);
    try {
      const agents = await this.agentsOf(turn.channelId);
      // A turn taken over may have some of its replies stored already: they count, and are not asked again.
      const earlier = turn.attempts > 1 ? await this.storedResults(message.id) : [];
      const toAsk = agentsStillToAnswer(
        agents.map((agent) => agent.id),
        new Set(earlier.map((result) => result.agentId)),
      );
      const results = [...earlier];
      let ended: { next: NextTurn | null } | undefined;
      for (const [index, agentId] of toAsk.entries()) {
        if (index > 0 && !(await this.turns.extendLease(turn.messageId, this.owner, this.newLeaseEnd()))) return null;
        const agent = agents.find((a) => a.id === agentId) as AgentEntity;
        const { endedTurn, ...result } = await this.answerAs(agent, message, turn, cancel, index === toAsk.length - 1);
        this.report({ kind: 'agent-ended', inReplyTo: message.id, result });
        results.push(result);
        ended = endedTurn;
      }
      // Without a reply that ended it (a failure, no agent), the turn ends here; the next claim must see it gone.
      const next = ended ? ended.next : await this.finish(turn);
      this.report({ kind: 'turn-ended', inReplyTo: message.id, results });
      return next;
    } catch (error) {
      if (!(error instanceof HandedBack)) throw error;
      await this.turns.handBack(message.id, this.owner);
      this.relay.publishWork(turn.channelId);
      return null;
    }
  }

  private async agentsOf(channelId: string): Promise<AgentEntity[]> {
    const participants = await this.channels.findParticipants(channelId);
    const agents = await Promise.all(participants.filter((p) => p.kind === 'agent').map((p) => this.agents.find(p.entityId)));
    return agents.filter((agent): agent is AgentEntity => agent !== null && agent.status === 'active');
  }

  /** Progress goes to the waiters here; elsewhere only when nobody here waits, and the end always. */
  private report(progress: TurnProgress): void {
    const waitedHere = this.waiters.has(progress.inReplyTo);
    this.waiters.deliver(progress);
    if (this.relay.spansInstances && (!waitedHere || progress.kind === 'turn-ended')) this.relay.publishProgress(progress);
  }

  /**
   * One agent's answer. The last agent's reply ends the turn in the same commit (`endedTurn`), so a
   * turn is never gone without its reply, nor answered and still there.
   */
  private async answerAs(
    agent: AgentEntity,
    message: MessageEntity,
    turn: ClaimedTurn,
    cancel: AbortSignal,
    endsTurn: boolean,
  ): Promise<TurnResult & { endedTurn?: { next: NextTurn | null } }> {
    const { sessionId } = turn;
    const replyId = timeOrderedUuid(this.clock.now());
    const channelId = message.channelId;
    this.events.emit('agent.thinking', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id });
    const measured = this.metrics.agentTurnStarted();
    try {
      let text = '';
      let index = 0;
      let done: Extract<ReplyPart, { type: 'done' }> = { type: 'done' };
      for await (const part of this.runtime.reply({ agent, history: () => this.history(message), message: message.content, cancel })) {
        if (part.type === 'done') {
          done = part;
          continue;
        }
        text += part.text;
        this.report({ kind: 'chunk', inReplyTo: message.id, chunk: { messageId: replyId, agentId: agent.id, chunk: part.text, index: index++ } });
      }
      if (text.trim() === '') throw new AgentRuntimeError('PROVIDER_ERROR', 'The model provider sent an empty reply');
      const next = endsTurn ? this.nextClaim() : undefined;
      const { message: reply, created, writtenWith } = await this.messaging.appendMessage(
        {
          id: replyId,
          channelId,
          authorId: agent.id,
          isAgent: true,
          content: text,
          thought: done.thought,
          actions: done.actions,
          metadata: { inReplyTo: message.id },
          inReplyTo: message.id,
        },
        endsTurn ? { finish: { owner: this.owner, next } } : undefined,
      );
      measured('replied');
      // Not created: another instance that took the turn over stored this agent's reply first, and announced it.
      if (created) {
        this.metrics.messageStored(true);
        this.events.emit('message.created', { message: reply, senderName: agent.name, source: 'agent', sessionId });
        const emotion = await this.announceInnerLife(agent.id, reply, done);
        this.events.emit('agent.turn-ended', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id, replyId: reply.id, error: null });
        if (endsTurn && !next) this.relay.publishWork(channelId);
        return { agentId: agent.id, reply, error: null, emotion, endedTurn: endsTurn ? { next: this.turns.claimedIn(writtenWith) } : undefined };
      }
      return { agentId: agent.id, reply, error: null, emotion: await this.emotionOf(agent.id) };
    } catch (failure) {
      const cancelled = failure instanceof AgentRuntimeError && failure.code === 'CANCELLED';
      measured(cancelled ? 'handed_back' : 'failed');
      if (cancelled) throw new HandedBack();
      const error =
        failure instanceof AgentRuntimeError
          ? { code: failure.code, message: failure.message }
          : { code: 'INTERNAL_ERROR', message: 'The agent could not answer' };
      this.logger.warn(`Agent ${agent.id} failed to answer in channel ${channelId}: ${(failure as Error).message}`);
      this.events.emit('agent.turn-ended', { channelId, sessionId, agentId: agent.id, inReplyTo: message.id, replyId: null, error });
      return { agentId: agent.id, reply: null, error, emotion: await this.emotionOf(agent.id) };
    }
  }

  /** What /ws subscribers watch: the reply as memory, its thought, and a change of emotion. */
  private async announceInnerLife(agentId: string, reply: MessageEntity, done: Extract<ReplyPart, { type: 'done' }>): Promise<string> {
    const channelId = reply.channelId;
    this.events.emit('agent.memory-updated', { agentId, channelId, messageId: reply.id });
    if (done.thought) {
      this.events.emit('agent.thought', { agentId, channelId, messageId: reply.id, thought: done.thought, importance: done.importance ?? DEFAULT_IMPORTANCE });
    }
    const previousEmotion = await this.emotionOf(agentId);
    const currentEmotion = done.emotion ?? NEUTRAL;
    if (currentEmotion === previousEmotion) return currentEmotion;
    await this.emotions.save(agentId, currentEmotion, this.clock.now());
    this.events.emit('agent.emotion-changed', { agentId, channelId, previousEmotion, currentEmotion, intensity: done.importance ?? DEFAULT_IMPORTANCE });
    return currentEmotion;
  }

  /**
   * What the agent knows when it answers: the channel's latest messages, without this one and without
   * user messages that came after it (they wait their turn). Replies stored after this message was
   * sent still count, so an answer to the previous message is never missing.
   */
  private async history(message: MessageEntity): Promise<ConversationTurn[]> {
    const latest = await this.messages.findWindow(message.channelId, { limit: HISTORY_MESSAGES * 2 });
    return latest
      .filter((m) => m.id !== message.id && (m.isAgent || m.createdAt < message.createdAt))
      .slice(0, HISTORY_MESSAGES)
      .reverse()
      .map((m) => ({ role: m.isAgent ? 'assistant' : 'user', content: m.content }));
  }
}

