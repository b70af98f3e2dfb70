import { Injectable } from '@nestjs/common';
import { ReplyPart, ReplyRequest, RuntimeProvider } from './agent-runtime';

const CHUNKS = 3;

/** Built in and deterministic: answers `You said: <message>` in several chunks, so every streaming path is exercised. */
@Injectable()
export class EchoProvider implements RuntimeProvider {
  async *stream(request: ReplyRequest): AsyncIterable<ReplyPart> {
    for (const text of splitIntoChunks(`You said: ${request.message}`, CHUNKS)) {
      yield { type: 'chunk', text };
    }
    const { emotion, importance } = moodOf(request.message);
    yield { type: 'done', thought: `Echoing ${request.message.length} characters back`, actions: ['REPLY'], emotion, importance };
  }
}

/** Splits text into at most `count` non-empty pieces that join back to it. */
export function splitIntoChunks(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
  return chunks;
}

/** A deterministic mood from the punctuation, so emotion and thought-importance events can be exercised. */
export function moodOf(message: string): { emotion: string; importance: number } {
  const text = message.trim();
  if (text.endsWith('!')) return { emotion: 'excited', importance: 0.9 };
  if (text.endsWith('?')) return { emotion: 'curious', importance: 0.6 };
  return { emotion: 'neutral', importance: 0.3 };
}
