import * as kit from '@switchboard/testing';
import { admin, http } from '../utils/fixtures';
import { TestApp } from '../utils/test-app';
import { within } from './deadline';

export type { CreatedChannel as ChannelBody } from '@switchboard/testing';

export interface ChannelMessageBody {
  id: string;
  channelId: string;
  text: string;
  authorId: string;
  isAgent: boolean;
  createdAt: string;
  timestamp: number;
  metadata: Record<string, unknown>;
  messageId?: string;
  thought?: string;
  actions?: string[];
}

export interface MessagePageBody<M> {
  messages: M[];
  hasMore: boolean;
  cursors: { before: number | null; after: number | null };
}

export interface AgentResponseBody {
  messageId: string;
  agentId: string;
  text: string;
  thought: string | null;
  actions: string[];
}

export const channelMessagesPath = (channelId: string) => `/api/messaging/channels/${channelId}/messages`;
export const sessionMessagesPath = (sessionId: string) => `/api/messaging/sessions/${sessionId}/messages`;

/** A group channel; with `agentIds`, those agents are participants and answer its user messages. */
export function createChannel(t: TestApp, channel: { agentIds?: string[]; users?: string[]; name?: string } = {}): Promise<kit.CreatedChannel> {
  return kit.createChannel(t, channel);
}

/** Channel history oldest first (the API pages newest first), up to 100 messages. */
export async function channelHistory(t: TestApp, channelId: string): Promise<ChannelMessageBody[]> {
  const response = await http(t).get(channelMessagesPath(channelId)).query({ limit: 100 }).set(admin).expect(200);
  return [...(response.body as MessagePageBody<ChannelMessageBody>).messages].reverse();
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventStreamResponse {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  events: SseEvent[];
}

/**
 * POSTs with fetch and reads the Server-Sent Events body to its end: resolving at all proves the
 * server closed the stream.
 */
export async function postForEventStream(t: TestApp, path: string, body: unknown, token: Record<string, string> = admin, timeoutMs = 5_000): Promise<EventStreamResponse> {
  const response = await fetch(`${await t.app.getUrl()}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...token },
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
