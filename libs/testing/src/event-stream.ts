import { within } from './deadline';
import { As, authHeaders, SwitchboardTarget } from './factories';

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventStreamResponse {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  /** In arrival order: for a streamed send, `user_message`, one `chunk` per piece of the reply, then `done` (or `error`). */
  events: SseEvent[];
}

/**
 * POSTs as a browser asking for Server-Sent Events (`Accept: text/event-stream`, e.g. a send with
 * `mode: 'stream'`) and reads the body to its end: resolving at all proves the server closed the stream.
 */
export async function postForEventStream(
  target: SwitchboardTarget,
  path: string,
  body: unknown,
  { as = {}, timeoutMs = 5_000 }: { as?: As; timeoutMs?: number } = {},
): Promise<EventStreamResponse> {
  const response = await fetch(`${target.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders(target, as) },
    body: JSON.stringify(body),
  });
  const text = await within(response.text(), timeoutMs, `the end of the event stream from ${path}`);
  return { status: response.status, contentType: response.headers.get('content-type'), cacheControl: response.headers.get('cache-control'), events: parseEventStream(text) };
}

export function parseEventStream(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event:'))?.slice('event:'.length).trim() ?? 'message';
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice('data:'.length).trim())
        .join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
