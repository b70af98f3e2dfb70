import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AsyncQueue } from './async-queue';
import { PostedMessage } from './conversation.service';
import { TurnObserver, TurnResult } from './turn-progress';

/** Seed 002's `mode` values and the newer `transport` names for the same three behaviours. */
export const RESPONSE_MODES = ['websocket', 'sync', 'http', 'stream', 'sse'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

export function isStreaming(mode: ResponseMode | undefined): boolean {
  return mode === 'stream' || mode === 'sse';
}

export function isSync(mode: ResponseMode | undefined): boolean {
  return mode === 'sync' || mode === 'http';
}

export interface AgentResponse {
  messageId: string;
  agentId: string;
  text: string;
  thought: string | null;
  actions: string[];
}

export function agentResponseOf(results: TurnResult[]): { agentResponse: AgentResponse | null; agentError?: { code: string; message: string } } {
  const answered = results.find((r) => r.reply);
  if (answered?.reply) {
    const { reply } = answered;
    return { agentResponse: { messageId: reply.id, agentId: answered.agentId, text: reply.content, thought: reply.thought, actions: reply.actions ?? [] } };
  }
  const failed = results.find((r) => r.error);
  return failed?.error ? { agentResponse: null, agentError: failed.error } : { agentResponse: null };
}

function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Posts in stream mode: Server-Sent Events `user_message`, then `chunk` {messageId, chunk, index}
 * per piece of each agent's reply, then `done` per reply — or `error` for a turn that failed — and the
 * stream closes. A duplicate `messageId` answers `user_message`, then `done` for each reply to the
 * original (once its turn has ended), and closes.
 */
export async function postAsEventStream<P extends PostedMessage>(
  post: (observer: TurnObserver) => Promise<P>,
  userMessageView: (posted: P) => unknown,
): Promise<StreamableFile> {
  const events = new AsyncQueue<string>();
  const turnEnded = (result: TurnResult) =>
    events.push(result.reply ? sseEvent('done', { ...agentResponseOf([result]).agentResponse }) : sseEvent('error', { error: 'AgentReplyError', ...result.error }));
  const posted = await post({ onChunk: (chunk) => events.push(sseEvent('chunk', chunk)), onTurnEnded: turnEnded });
  void posted.turn.then((results) => {
    if (!posted.created) results.forEach(turnEnded);
    events.close();
  });
  async function* body(): AsyncIterable<string> {
    yield sseEvent('user_message', userMessageView(posted));
    yield* events;
  }
  return new StreamableFile(Readable.from(body()), { type: 'text/event-stream' });
}
