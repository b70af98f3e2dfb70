import * as kit from '@switchboard/testing';
import { admin, http } from '../utils/fixtures';
import { TestApp } from '../utils/test-app';

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

/**
 * A group channel, created by `auth` (admin by default), which it then belongs to; with `agentIds`,
 * those agents are participants and answer its user messages.
 */
export function createChannel(
  t: TestApp,
  { auth, ...channel }: { agentIds?: string[]; users?: string[]; name?: string; auth?: Record<string, string> } = {},
): Promise<kit.CreatedChannel> {
  return kit.createChannel(t, channel, auth ? { headers: auth } : undefined);
}

/** Channel history oldest first (the API pages newest first), up to 100 messages. */
export async function channelHistory(t: TestApp, channelId: string): Promise<ChannelMessageBody[]> {
  const response = await http(t).get(channelMessagesPath(channelId)).query({ limit: 100 }).set(admin).expect(200);
  return [...(response.body as MessagePageBody<ChannelMessageBody>).messages].reverse();
}

export type { EventStreamResponse, SseEvent } from '@switchboard/testing';
export { parseEventStream } from '@switchboard/testing';

/** The kit's reader of a Server-Sent Events response, as `token` (headers; the admin token by default). */
export function postForEventStream(t: TestApp, path: string, body: unknown, token: Record<string, string> = admin, timeoutMs = 5_000): Promise<kit.EventStreamResponse> {
  return kit.postForEventStream(t, path, body, { as: { headers: token }, timeoutMs });
}
