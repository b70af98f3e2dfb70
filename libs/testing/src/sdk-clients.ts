import { Conversation, ConversationEvents, ConversationOptions, SwitchboardClient, SwitchboardClientOptions } from '@switchboard/client';
import { until } from './deadline';
import { EVENT_TIMEOUT_MS } from './socket-io-clients';
import type { SwitchboardTarget } from './factories';

/** Every event a Conversation emits; the compiler fails here when the client adds one. */
const CONVERSATION_EVENTS = {
  message: true,
  reply: true,
  thinking: true,
  chunk: true,
  messageComplete: true,
  control: true,
  agentError: true,
  typing: true,
  joined: true,
  left: true,
  warning: true,
  expired: true,
  renewed: true,
  status: true,
  nearExpiration: true,
  lost: true,
  recreated: true,
  rejoined: true,
  failure: true,
} satisfies Record<keyof ConversationEvents, true>;

export type ConversationEvent = keyof ConversationEvents;

export interface RecordedConversationEvent<E extends ConversationEvent = ConversationEvent> {
  event: E;
  payload: ConversationEvents[E];
}

/** Every event one Conversation emits, in order, from the moment it is made; waits for one with a deadline. */
export class ConversationLog {
  readonly received: RecordedConversationEvent[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(readonly conversation: Conversation) {
    for (const event of Object.keys(CONVERSATION_EVENTS) as ConversationEvent[]) {
      conversation.on(event, (payload) => {
        this.received.push({ event, payload } as RecordedConversationEvent);
        this.listeners.forEach((wake) => wake());
      });
    }
  }

  of<E extends ConversationEvent>(event: E, where: (payload: ConversationEvents[E]) => boolean = () => true): Array<ConversationEvents[E]> {
    return this.received.filter((r): r is RecordedConversationEvent<E> => r.event === event).map((r) => r.payload).filter(where);
  }

  /** The event names received, in order. */
  names(): ConversationEvent[] {
    return this.received.map((r) => r.event);
  }

  async waitFor<E extends ConversationEvent>(
    event: E,
    where: (payload: ConversationEvents[E]) => boolean = () => true,
    { count = 1, timeoutMs = EVENT_TIMEOUT_MS }: { count?: number; timeoutMs?: number } = {},
  ): Promise<Array<ConversationEvents[E]>> {
    await until(
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      () => this.of(event, where).length >= count,
      timeoutMs,
      `${count} × ${event} on the conversation of session ${this.conversation.sessionId}`,
    );
    return this.of(event, where);
  }

  async next<E extends ConversationEvent>(event: E, where?: (payload: ConversationEvents[E]) => boolean, timeoutMs?: number): Promise<ConversationEvents[E]> {
    const [first] = await this.waitFor(event, where, { timeoutMs });
    return first;
  }
}

/** The `@switchboard/client` clients one suite makes; `closeAll()` in `afterEach` so none outlives its test. */
export class ClientPool {
  private readonly clients = new Set<SwitchboardClient>();

  constructor(private readonly target: () => SwitchboardTarget) {}

  /** A client as a browser or service would make it: with `token` (a session token, or an API key), the admin token by default. */
  client(options: Partial<SwitchboardClientOptions> = {}): SwitchboardClient {
    const client = new SwitchboardClient({ baseUrl: this.target().baseUrl, token: this.target().adminToken, ...options });
    this.clients.add(client);
    return client;
  }

  /** What a chat page does on load: a client on the session's own token, its conversation joined, every event recorded. */
  async conversation(session: { sessionId: string; channelId?: string; token: string }, options: ConversationOptions = {}): Promise<ConversationLog> {
    const conversation = this.client({ token: session.token }).conversation(session, options);
    const log = new ConversationLog(conversation);
    await conversation.join();
    return log;
  }

  closeAll(): void {
    this.clients.forEach((client) => client.close());
    this.clients.clear();
  }
}
