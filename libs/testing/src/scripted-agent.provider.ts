import { AgentRuntimeError, EchoProvider, ReplyPart, ReplyRequest, RuntimeProvider } from '@switchboard/agents';
import { until } from './deadline';

/** How one agent reply goes. Steps run in this order: wait (`until`, `delayMs`), stream `chunks`, then end as `fail`, `stall` or done. */
export interface ScriptedReply {
  /** The reply, streamed piece by piece; `text` is a reply of one piece. */
  chunks?: string[];
  text?: string;
  /** Nothing is sent until this settles: hold the agent "thinking" until the test lets it go. */
  until?: Promise<unknown>;
  /** Real milliseconds before the first piece, and between pieces: for a UI's spinner, not for timing rules. */
  delayMs?: number;
  chunkDelayMs?: number;
  /** After the pieces, the provider fails with this message: the turn ends with an `error` event (PROVIDER_ERROR). */
  fail?: string;
  /** After the pieces, nothing more ever comes: the turn ends at AGENT_REPLY_TIMEOUT_MS (PROVIDER_TIMEOUT). */
  stall?: boolean;
  thought?: string;
  actions?: string[];
}

/** What an agent was asked, in arrival order. */
export interface ScriptedRequest {
  agentId: string;
  agentName: string;
  message: string;
}

interface Queued {
  agentId?: string;
  reply: ScriptedReply;
}

/**
 * Stands in for the built-in `echo` provider (agents created without `runtime.provider`), through
 * the testing module's `overrideProvider`. Replies follow the script: queued replies first (those
 * for the asking agent, else those for any agent), then the `always` reply, else the echo itself.
 */
export class ScriptedAgentProvider implements RuntimeProvider {
  readonly requests: ScriptedRequest[] = [];
  private readonly queue: Queued[] = [];
  private fallback: ScriptedReply | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly echo: RuntimeProvider = new EchoProvider()) {}

  /** Queues the next replies of any agent, in order. */
  reply(...replies: ScriptedReply[]): this {
    this.queue.push(...replies.map((reply) => ({ reply })));
    return this;
  }

  /** Queues the next replies of one agent, ahead of the replies for any agent. */
  replyAs(agentId: string, ...replies: ScriptedReply[]): this {
    this.queue.push(...replies.map((reply) => ({ agentId, reply })));
    return this;
  }

  /** Every reply once the queue is empty; `undefined` goes back to echoing. */
  always(reply: ScriptedReply | undefined): this {
    this.fallback = reply;
    return this;
  }

  /** Resolves with the requests once `count` have arrived in total. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<ScriptedRequest[]> {
    await until(
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      () => this.requests.length >= count,
      timeoutMs,
      `${count} agent requests (got ${this.requests.length})`,
    );
    return this.requests;
  }

  /** Forgets the script and the recorded requests. */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = undefined;
  }

  async *stream(request: ReplyRequest, signal: AbortSignal): AsyncIterable<ReplyPart> {
    this.requests.push({ agentId: request.agent.id, agentName: request.agent.name, message: request.message });
    this.listeners.forEach((wake) => wake());
    const script = this.take(request.agent.id) ?? this.fallback;
    if (!script) {
      yield* this.echo.stream(request, signal);
      return;
    }
    yield* play(script, signal);
  }

  private take(agentId: string): ScriptedReply | undefined {
    const index = this.queue.findIndex((queued) => queued.agentId === agentId);
    const at = index >= 0 ? index : this.queue.findIndex((queued) => queued.agentId === undefined);
    return at >= 0 ? this.queue.splice(at, 1)[0].reply : undefined;
  }
}

async function* play(script: ScriptedReply, signal: AbortSignal): AsyncIterable<ReplyPart> {
  if (script.until) await untilAborted(script.until, signal);
  if (script.delayMs) await sleep(script.delayMs, signal);
  const chunks = script.chunks ?? (script.text === undefined ? [] : [script.text]);
  for (const [index, text] of chunks.entries()) {
    if (index > 0 && script.chunkDelayMs) await sleep(script.chunkDelayMs, signal);
    yield { type: 'chunk', text };
  }
  if (script.fail !== undefined) throw new AgentRuntimeError('PROVIDER_ERROR', script.fail);
  if (script.stall) await untilAborted(new Promise(() => undefined), signal);
  yield { type: 'done', thought: script.thought, actions: script.actions };
}

/** Waits for `promise`, or gives up when the runtime's reply deadline aborts the turn. */
function untilAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise((resolve, reject) => {
    const abort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return untilAborted(new Promise((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() => clearTimeout(timer));
}
