import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Conversation, ConversationEvents, SwitchboardApiError, SwitchboardClient } from '@switchboard/client';
import { SessionExpiryCron } from '@switchboard/sessions';
import { http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { Recorder } from './utils-client/recorder';

const CONVERSATION_EVENTS: Array<keyof ConversationEvents> = [
  'message', 'reply', 'thinking', 'chunk', 'messageComplete', 'control', 'typing', 'joined', 'warning', 'expired', 'renewed', 'status', 'nearExpiration', 'lost', 'recreated', 'failure',
];

interface AsyncApiDocument {
  operations: Record<string, { action: 'send' | 'receive'; channel: { $ref: string }; messages: Array<{ $ref: string }> }>;
  components: { messages: Record<string, { name: string; payload: object }> };
}

/** A validator per event the server sends on Socket.IO, from the served AsyncAPI document's send operations. */
function payloadValidators(doc: AsyncApiDocument): Map<string, (payload: unknown) => boolean> {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const validators = new Map<string, (payload: unknown) => boolean>();
  for (const operation of Object.values(doc.operations)) {
    if (operation.action !== 'send' || operation.channel.$ref !== '#/channels/socketio') continue;
    for (const { $ref } of operation.messages) {
      const message = doc.components.messages[$ref.split('/').pop()!];
      validators.set(message.name, ajv.compile(message.payload));
    }
  }
  return validators;
}

describe('@switchboard/client drives a whole conversation against the real app', () => {
  let t: TestApp;
  let service: SwitchboardClient;
  let browser: SwitchboardClient;
  let conversation: Conversation;
  let events: Recorder<ConversationEvents>;
  let watching: Conversation;
  let watcher: Recorder<ConversationEvents>;
  let session: { sessionId: string; channelId: string; token: string; expiresAt: string };
  const framesIn: Array<{ event: string; payload: unknown }> = [];

  const sweep = () => t.app.get(SessionExpiryCron).sweep();

  beforeAll(async () => {
    t = await createTestApp();
    const baseUrl = await t.app.getUrl();
    // A service holds the API key; it creates the session and hands the browser only the session token.
    service = new SwitchboardClient({ baseUrl, token: ADMIN_TOKEN });
    const agent = await service.rest.createAgent({ name: `sdk-agent-${process.pid}` });
    session = await service.rest.createSession({
      agentId: agent.id,
      userId: 'user-sdk',
      timeoutConfig: { timeoutMinutes: 20, warningThresholdMinutes: 5, maxDurationMinutes: 120, autoRenew: false },
    });
    browser = new SwitchboardClient({ baseUrl, token: session.token });
    browser.realtime.socket.onAny((event: string, payload: unknown) => framesIn.push({ event, payload }));
    conversation = browser.conversation({ sessionId: session.sessionId });
    events = new Recorder(conversation, CONVERSATION_EVENTS);
    watching = service.conversation({ sessionId: session.sessionId });
    watcher = new Recorder(watching, CONVERSATION_EVENTS);
    await watching.join();
  });

  afterAll(async () => {
    browser?.close();
    service?.close();
    await t.close();
  });

  it('joins the session room with the session token alone', async () => {
    const joined = await conversation.join();

    expect(joined).toMatchObject({ roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId, replayed: 0 });
    expect(conversation.channelId).toBe(session.channelId);
    await watcher.next('joined');
  });

  it("sends a message and gets the agent's reply with thinking, control and messageComplete", async () => {
    const sent = await conversation.send('Hello there');

    expect(sent).toMatchObject({ content: 'Hello there', sessionStatus: { isNearExpiration: false } });
    const [reply] = await events.next('reply', (m) => m.text === 'You said: Hello there');
    const [complete] = await events.next('messageComplete', (c) => c.inReplyTo === sent.id);
    expect(complete).toMatchObject({ success: true, messageId: reply.id, sessionId: session.sessionId });
    expect(events.of('message').map((m) => m.text)).toEqual(['Hello there', 'You said: Hello there']);
    expect(events.of('thinking', (th) => th.inReplyTo === sent.id)).toHaveLength(1);
    expect(events.of('control').map((c) => c.action)).toEqual(['disable_input', 'enable_input']);
  });

  it('streams a reply: chunks as they are produced, then the stored reply', async () => {
    const result = await conversation.stream('Stream this please');

    const chunks = events.of('chunk', (c) => c.messageId === result.replies[0].messageId);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.chunk).join('')).toBe('You said: Stream this please');
    expect(result.replies[0].text).toBe('You said: Stream this please');
    expect(result.message.content).toBe('Stream this please');
    await events.next('reply', (m) => m.id === result.replies[0].messageId);
  });

  it('tells the others in the room that the user is typing, and hears theirs', async () => {
    await conversation.typing(true);

    const [typing] = await watcher.next('typing', (e) => e.isTyping);
    expect(typing).toMatchObject({ sessionId: session.sessionId, isTyping: true });
    expect(events.of('typing')).toEqual([]);

    await watching.typing(false);
    const [theirs] = await events.next('typing');
    expect(theirs).toMatchObject({ sessionId: session.sessionId, isTyping: false });
  });

  it('pages history with cursors', async () => {
    const first = await conversation.history({ limit: 2 });
    const older = await conversation.history({ limit: 2, before: first.cursors.before! });

    expect(first.messages.map((m) => m.content)).toEqual(['You said: Stream this please', 'Stream this please']);
    expect(first.hasMore).toBe(true);
    expect(older.messages.map((m) => m.content)).toEqual(['You said: Hello there', 'Hello there']);
  });

  it('renews on request, and the room hears sessionRenewed', async () => {
    t.clock.advanceMinutes(5);
    const renewed = await conversation.renew();

    expect(renewed.renewalCount).toBe(1);
    const [event] = await events.next('renewed');
    expect(event).toEqual({ sessionId: session.sessionId, expiresAt: renewed.expiresAt, renewalCount: 1 });
    expect(events.of('status').at(-1)).toMatchObject({ sessionId: session.sessionId, isNearExpiration: false, timeRemaining: 20 * 60_000 });
  });

  it('surfaces the warning of the sweep, and heartbeats report the time left and renew when near expiry', async () => {
    t.clock.advanceMinutes(16);
    await sweep();
    const [warning] = await events.next('warning');
    expect(warning).toMatchObject({ sessionId: session.sessionId, minutesRemaining: 4 });

    const nearRenewing = browser.conversation({ sessionId: session.sessionId }, { renewWhenNearExpiration: true });
    const near = new Recorder(nearRenewing, CONVERSATION_EVENTS);
    const status = await nearRenewing.heartbeat();

    expect(status).toMatchObject({ isNearExpiration: true, timeRemaining: 4 * 60_000 });
    expect(near.of('nearExpiration')).toEqual([{ sessionId: session.sessionId, timeRemaining: 4 * 60_000 }]);
    await events.next('renewed', (r) => r.renewalCount === 2);
    expect((await conversation.session()).timeRemaining).toBe(20 * 60_000);
    nearRenewing.close();
  });

  it('runs the heartbeat loop on its own and reports each beat as status', async () => {
    const before = events.of('status').length;
    conversation.startHeartbeat(20);
    await events.next('status', () => true, before + 2);
    await conversation.stopHeartbeat();

    expect(events.of('status').slice(before).every((s) => s.sessionId === session.sessionId && s.timeRemaining === 20 * 60_000)).toBe(true);
  });

  it('reports the session lost once it is past its expiry (410 at once, before any sweep), then hears sessionExpired', async () => {
    t.clock.advanceMinutes(21);

    const failure = await conversation.send('Anyone?').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SwitchboardApiError);
    expect(failure).toMatchObject({ status: 410, code: 'SESSION_EXPIRED', isSessionLost: true });
    expect(events.of('lost')).toEqual([{ sessionId: session.sessionId, error: failure }]);

    await sweep();
    const [expired] = await events.next('expired');
    expect(expired.sessionId).toBe(session.sessionId);
  });

  it('received only events the AsyncAPI document lists, each matching its payload schema', async () => {
    const doc = (await http(t).get('/api/asyncapi.json').expect(200)).body as AsyncApiDocument;
    const validators = payloadValidators(doc);
    const invalid = framesIn.filter(({ event, payload }) => !validators.get(event)?.(payload)).map(({ event, payload }) => ({ event, payload }));

    expect([...new Set(framesIn.map((f) => f.event))].sort()).toEqual(
      ['connection_established', 'userTyping', 'messageBroadcast', 'message', 'controlMessage', 'messageComplete', 'sessionRenewed', 'sessionExpirationWarning', 'sessionExpired'].sort(),
    );
    expect(invalid).toEqual([]);
  });
});

describe('@switchboard/client re-creates a lost session when asked to', () => {
  let t: TestApp;
  let service: SwitchboardClient;

  beforeAll(async () => {
    t = await createTestApp();
    service = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN });
  });

  afterAll(async () => {
    service?.close();
    await t.close();
  });

  it('on 410 gets a new session from recreate(), moves there and sends the message again, once', async () => {
    const agent = await service.rest.createAgent({ name: `sdk-recreate-${process.pid}` });
    const create = () => service.rest.createSession({ agentId: agent.id, userId: 'user-recreate', timeoutConfig: { timeoutMinutes: 5 } });
    const first = await create();
    const asked: string[] = [];
    const conversation = service.conversation(
      { sessionId: first.sessionId, token: first.token },
      { recreate: async ({ sessionId }) => (asked.push(sessionId), create()) },
    );
    const events = new Recorder(conversation, CONVERSATION_EVENTS);
    await conversation.join();

    t.clock.advanceMinutes(6);
    await conversation.send('Still there?');

    expect(asked).toEqual([first.sessionId]);
    const [recreated] = events.of('recreated');
    expect(recreated.previousSessionId).toBe(first.sessionId);
    expect(conversation.sessionId).toBe(recreated.sessionId);
    await events.next('reply', (m) => m.sessionId === recreated.sessionId && m.text === 'You said: Still there?');
    expect((await service.rest.listMessages(recreated.sessionId)).messages.filter((m) => m.content === 'Still there?')).toHaveLength(1);
    conversation.close();
  });
});
