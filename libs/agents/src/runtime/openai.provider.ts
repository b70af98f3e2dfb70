import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/common';
import { AgentRuntimeError, ConversationTurn, ReplyPart, ReplyRequest, RuntimeProvider } from './agent-runtime';

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

/** Any OpenAI-compatible `/chat/completions` endpoint, streamed. Base URL and model per agent, key from the environment. */
@Injectable()
export class OpenAiProvider implements RuntimeProvider {
  constructor(private readonly config: AppConfig) {}

  async *stream(request: ReplyRequest, signal: AbortSignal): AsyncIterable<ReplyPart> {
    const baseUrl = (request.agent.runtime.baseUrl ?? this.config.openAi.baseUrl).replace(/\/+$/, '');
    const messages: Array<ConversationTurn | { role: 'system'; content: string }> = [
      { role: 'system', content: `You are ${request.agent.name}.` },
      ...(await request.history()),
      { role: 'user', content: request.message },
    ];
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      signal,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        ...(this.config.openAi.apiKey ? { Authorization: `Bearer ${this.config.openAi.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: request.agent.runtime.model ?? this.config.openAi.model, stream: true, messages }),
    });
    if (!response.ok || !response.body) {
      throw new AgentRuntimeError('PROVIDER_ERROR', `The model provider answered ${response.status}`);
    }
    for await (const data of serverSentData(response.body)) {
      if (data === '[DONE]') break;
      const text = parseDelta(data);
      if (text) yield { type: 'chunk', text };
    }
    yield { type: 'done' };
  }
}

/** The `data:` payloads of an SSE body, one per event. */
async function* serverSentData(body: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body) {
    buffer += decoder.decode(bytes, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('data:')) yield line.slice('data:'.length).trim();
    }
  }
}

function parseDelta(data: string): string | undefined {
  try {
    return (JSON.parse(data) as CompletionChunk).choices?.[0]?.delta?.content ?? undefined;
  } catch {
    throw new AgentRuntimeError('PROVIDER_ERROR', 'The model provider sent a malformed chunk');
  }
}
