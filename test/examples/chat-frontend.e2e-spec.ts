import {
  callApi,
  ClientPool,
  createAgent,
  createApiKey,
  createSession,
  createSwitchboardTestApp,
  CreatedSession,
  expectOk,
  gate,
  postForEventStream,
  SocketPool,
  SwitchboardApiError,
  SwitchboardTestApp,
} from '@switchboard/testing';

/**
 * What a frontend team's suite for its chat UI looks like, written only against `@switchboard/testing`
 * and the public API: a browser holds a session token, chats over Socket.IO, and must show the agent
 * thinking, its streamed reply, its failures, the expiry warning and the expiry.
 */
const postgresUrl = process.env.TEST_DATABASE === 'postgres' ? (process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test') : undefined;
/** The typed envelope's THINKING (seed 000): the page shows "typing…". */
const THINKING = 5;
const FRONTEND_SCOPES = ['sessions:create', 'sessions:read', 'sessions:write'];
const TIMEOUT = { timeoutMinutes: 30, warningThresholdMinutes: 5, autoRenew: false };

describe('a chat frontend on Switchboard', () => {
  let t: SwitchboardTestApp;
  let backendKey: string;
  let agentId: string;
  const browsers = SocketPool.for(() => t);
  const sdkBrowsers = new ClientPool(() => t);

  beforeAll(async () => {
    t = await createSwitchboardTestApp({ postgresUrl });
    // What the team's backend holds: it opens sessions and hands each session's token to the browser.
    backendKey = (await createApiKey(t, FRONTEND_SCOPES)).token;
    agentId = (await createAgent(t, { name: 'support-bot' })).id;
  });

  afterEach(() => {
    browsers.closeAll();
    sdkBrowsers.closeAll();
    t.agents.reset();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** What the page does on load: the backend opens a session, the browser connects with its token and joins the room. */
  async function openChat(): Promise<{ session: CreatedSession; browser: Awaited<ReturnType<typeof browsers.connect>> }> {
    const session = await createSession(t, { agentId, userId: 'user-456', timeoutConfig: TIMEOUT }, { token: backendKey });
    const browser = await browsers.connect({ token: session.token });
    await expectOk(browser.socket, 'join', { roomId: session.sessionId });
    return { session, browser };
  }

  it('shows the user message, then the agent thinking, then its reply', async () => {
    const { session, browser } = await openChat();
    const thinking = gate();
    t.agents.reply({ text: 'Hi! How can I help?', until: thinking.promise });

    await expectOk(browser.socket, 'message', { text: 'Hello', roomId: session.sessionId });
    await browser.log.next('controlMessage', (c) => c.action === 'disable_input');
    await browser.log.next('message', (m) => m.type === THINKING);
    expect(browser.log.of('messageBroadcast').map((m) => m.text)).toEqual(['Hello']);

    thinking.open();
    const reply = await browser.log.next('messageBroadcast', (m) => m.isAgent);
    expect(reply).toMatchObject({ text: 'Hi! How can I help?', senderId: agentId, roomId: session.sessionId });
    await browser.log.next('controlMessage', (c) => c.action === 'enable_input');
    expect(t.agents.requests).toEqual([{ agentId, agentName: 'support-bot', message: 'Hello' }]);
  });

  it('streams the reply piece by piece to a page that asked for Server-Sent Events', async () => {
    const { session } = await openChat();
    t.agents.reply({ chunks: ['Let me ', 'check ', 'that.'] });

    const stream = await postForEventStream(t, `/api/messaging/sessions/${session.sessionId}/messages`, { content: 'Where is my order?', mode: 'stream' }, { as: { token: session.token } });

    expect(stream.events.map((e) => e.event)).toEqual(['user_message', 'chunk', 'chunk', 'chunk', 'done']);
    expect(stream.events.filter((e) => e.event === 'chunk').map((e) => e.data.chunk)).toEqual(['Let me ', 'check ', 'that.']);
  });

  it('tells the page when the agent fails, and gives the input back', async () => {
    const { session, browser } = await openChat();
    t.agents.reply({ chunks: ['Looking'], fail: 'the model is down' });

    await expectOk(browser.socket, 'message', { text: 'Anyone there?', roomId: session.sessionId });

    const [error] = await browser.log.waitFor('error');
    expect(error).toMatchObject({ error: 'AgentReplyError', code: 'PROVIDER_ERROR', message: expect.stringContaining('the model is down') });
    expect(await browser.log.next('messageComplete')).toMatchObject({ success: false, messageId: null });
    await browser.log.next('controlMessage', (c) => c.action === 'enable_input');
  });

  it('warns five minutes before the session expires, then expires it, without waiting half an hour', async () => {
    const { session, browser } = await openChat();

    await t.advance({ minutes: 24 });
    expect(browser.log.of('sessionExpirationWarning')).toEqual([]);

    await t.advance({ minutes: 1 });
    expect(await browser.log.next('sessionExpirationWarning')).toMatchObject({ sessionId: session.sessionId, minutesRemaining: 5 });

    await t.advance({ minutes: 5 });
    expect(await browser.log.next('sessionExpired')).toMatchObject({ sessionId: session.sessionId });

    const gone = await callApi(t, 'GET', `/api/messaging/sessions/${session.sessionId}`, { as: { token: backendKey } }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(SwitchboardApiError);
    expect(gone).toMatchObject({ status: 410, body: { error: 'SessionExpiredError', code: 'SESSION_EXPIRED' } });
  });

  it('works the same for a page built on @switchboard/client: reply, warning and expiry arrive as conversation events', async () => {
    const session = await createSession(t, { agentId, userId: 'user-456', timeoutConfig: TIMEOUT }, { token: backendKey });
    const chat = await sdkBrowsers.conversation(session);
    t.agents.reply({ chunks: ['On ', 'its way.'] });

    await chat.conversation.send('Where is my order?');
    expect(await chat.next('reply')).toMatchObject({ text: 'On its way.', senderId: agentId });

    await t.advance({ minutes: 25 });
    expect(await chat.next('warning')).toMatchObject({ sessionId: session.sessionId, minutesRemaining: 5 });
    await t.advance({ minutes: 5 });
    expect(await chat.next('expired')).toMatchObject({ sessionId: session.sessionId });
  });
});
