import { Injectable } from '@nestjs/common';
import { AppConfig } from '@switchboard/common';
import { RuntimeProviderName } from '../agent.entity';
import { AgentRuntimeError, ReplyPart, ReplyRequest, RuntimeProvider } from './agent-runtime';
import { EchoProvider } from './echo.provider';
import { OpenAiProvider } from './openai.provider';

/** Runs an agent's provider with the reply deadline; a provider that fails or stalls throws AgentRuntimeError. */
@Injectable()
export class AgentRuntimeService {
  private readonly providers: Record<RuntimeProviderName, RuntimeProvider>;

  constructor(
    echo: EchoProvider,
    openAi: OpenAiProvider,
    private readonly config: AppConfig,
  ) {
    this.providers = { echo, openai: openAi };
  }

  async *reply(request: ReplyRequest): AsyncIterable<ReplyPart> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.agentReplyTimeoutMs);
    const cancel = () => deadline.abort();
    request.cancel?.addEventListener('abort', cancel);
    try {
      if (request.cancel?.aborted) throw cancelledError();
      for await (const part of this.providers[request.agent.runtime.provider].stream(request, deadline.signal)) {
        if (deadline.signal.aborted) break;
        yield part;
      }
      if (request.cancel?.aborted) throw cancelledError();
      if (deadline.signal.aborted) throw timeoutError(this.config.agentReplyTimeoutMs);
    } catch (error) {
      if (request.cancel?.aborted) throw cancelledError();
      if (error instanceof AgentRuntimeError) throw error;
      if (deadline.signal.aborted) throw timeoutError(this.config.agentReplyTimeoutMs);
      throw new AgentRuntimeError('PROVIDER_ERROR', `The model provider failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      request.cancel?.removeEventListener('abort', cancel);
    }
  }
}

function timeoutError(ms: number): AgentRuntimeError {
  return new AgentRuntimeError('PROVIDER_TIMEOUT', `The agent did not finish its reply within ${ms} ms`);
}

function cancelledError(): AgentRuntimeError {
  return new AgentRuntimeError('CANCELLED', 'The turn was given up before the reply was finished');
}
