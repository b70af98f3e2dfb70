import { WebSocket } from 'ws';
import { ConversationEvents, RetryNotice, SwitchboardClient, SwitchboardNetworkError, WebSocketConstructor, WsConnectionEvents } from '@switchboard/client';
import { SocketIoGateway } from '@switchboard/realtime';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { Recorder } from './utils-client/recorder';
import { portOf, TcpProxy } from './utils-client/tcp-proxy';

const CONVERSATION_EVENTS: Array<keyof ConversationEvents> = ['message', 'reply', 'rejoined', 'failure'];
/** Fast reconnects: the proxy, not a timer, decides when the server is back. */
const QUICK_RECONNECT = { io: { reconnectionDelay: 20, reconnectionDelayMax: 100 } };

async function sessionFor(service: SwitchboardClient, name: string) {
  const agent = await service.rest.createAgent({ name: `${name}-${process.pid}` });
  return service.rest.createSession({ agentId: agent.id, userId: `user-${name}`, timeoutConfig: { timeoutMinutes: 60 } });
}

describe('@switchboard/client across a server restart mid-conversation', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let browser: SwitchboardClient | undefined;

  beforeAll(async () => {
    t = await createTestApp();
    proxy = await TcpProxy.start(portOf(await t.app.getUrl()));
  });

  afterAll(async () => {
    browser?.close();
    await proxy.close();
    await t.close();
  });

  it('reconnects, rejoins from the last message it saw, gets what it missed, and shows every message once', async () => {
    const session = await sessionFor(new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN }), 'restart');
    browser = new SwitchboardClient({ baseUrl: proxy.url, token: session.token, socket: QUICK_RECONNECT });
    const conversation = browser.conversation({ sessionId: session.sessionId });
    const events = new Recorder(conversation, CONVERSATION_EVENTS);
    await conversation.join();
    await conversation.send('before the restart');
    await events.next('reply', (m) => m.text === 'You said: before the restart');

    proxy.cut();
    const first = t;
    await first.close({ keepDatabase: true });
    t = await createTestApp({ database: first.database, clock: first.clock });
    // Said while the browser was away, on the new instance: it must be replayed to it.
    const direct = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN });
    await direct.rest.sendMessage(session.sessionId, { content: 'while you were away', mode: 'sync' });
    proxy.forwardTo(portOf(await t.app.getUrl()));

    const [rejoined] = await events.next('rejoined');
    expect(rejoined.replayed).toBe(2);
    await events.next('reply', (m) => m.text === 'You said: while you were away');
    await conversation.send('after the restart');
    await events.next('reply', (m) => m.text === 'You said: after the restart');

    const history = (await direct.rest.listMessages(session.sessionId)).messages.reverse();
    const shown = events.of('message');
    expect(shown.map((m) => m.id)).toEqual(history.map((m) => m.id));
    expect(shown.map((m) => m.text)).toEqual([
      'before the restart',
      'You said: before the restart',
      'while you were away',
      'You said: while you were away',
      'after the restart',
      'You said: after the restart',
    ]);

    // The server replays from the first message on; the conversation has seen them all and drops them.
    const replay = await conversation.join(history[0].id);
    expect(replay.replayed).toBe(5);
    await conversation.send('one more');
    await events.next('reply', (m) => m.text === 'You said: one more');
    expect(events.of('message')).toHaveLength(8);
    expect(new Set(events.of('message').map((m) => m.id)).size).toBe(8);
    expect(events.of('failure')).toEqual([]);
    direct.close();
  });
});

describe('@switchboard/client when an instance drains', () => {
  let t: TestApp;
  let browser: SwitchboardClient | undefined;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    browser?.close();
    await t.close();
  });

  it('connects again after the server ended the connection, rejoins and carries on', async () => {
    const session = await sessionFor(new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN }), 'drain');
    browser = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: session.token, socket: QUICK_RECONNECT });
    const conversation = browser.conversation({ sessionId: session.sessionId });
    const events = new Recorder(conversation, CONVERSATION_EVENTS);
    await conversation.join();

    // What SIGTERM does to this instance's sockets (socket.io-client alone would not come back).
    t.app.get(SocketIoGateway).disconnectForShutdown();

    await events.next('rejoined');
    await conversation.send('after the drain');
    await events.next('reply', (m) => m.text === 'You said: after the drain');
  });
});

describe('@switchboard/client under a rate limit', () => {
  let t: TestApp;
  let service: SwitchboardClient;

  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_SESSION_PER_MINUTE: '2' } });
    service = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN });
  });

  afterAll(async () => {
    service.close();
    await t.close();
  });

  it("waits out a 429's Retry-After, then sends, once", async () => {
    const session = await sessionFor(service, 'rate');
    const retryAfter: string[] = [];
    const waits: number[] = [];
    const client = new SwitchboardClient({
      baseUrl: await t.app.getUrl(),
      token: session.token,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 429) retryAfter.push(response.headers.get('retry-after') ?? '');
        return response;
      },
      // The server's rate windows run on the test's clock: waiting is moving it.
      sleep: async (ms) => {
        waits.push(ms);
        t.clock.advanceMs(ms);
      },
    });
    const conversation = client.conversation({ sessionId: session.sessionId });

    await conversation.send('one');
    await conversation.send('two');
    const third = await conversation.send('three');

    expect(retryAfter).toHaveLength(1);
    expect(Number(retryAfter[0])).toBeGreaterThan(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(Number(retryAfter[0]) * 1000);
    expect(third.content).toBe('three');
    const contents = (await service.rest.listMessages(session.sessionId, { limit: 100 })).messages.filter((m) => !m.isAgent).map((m) => m.content);
    expect(contents.sort()).toEqual(['one', 'three', 'two']);
    client.close();
  });
});

describe('@switchboard/client on network errors', () => {
  let t: TestApp;
  let service: SwitchboardClient;

  beforeAll(async () => {
    t = await createTestApp({ env: {} });
    service = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN });
  });

  afterAll(async () => {
    service.close();
    await t.close();
  });

  it('retries a send whose answer was lost on the network with the same messageId: stored once', async () => {
    const session = await sessionFor(service, 'network');
    const retries: RetryNotice[] = [];
    let dropped = 0;
    const client = new SwitchboardClient({
      baseUrl: await t.app.getUrl(),
      token: session.token,
      // The request reaches the server and is stored; its answer never reaches the client.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith('/messages') && dropped++ === 0) {
          await response.text();
          throw new TypeError('fetch failed: socket hang up');
        }
        return response;
      },
      sleep: async () => undefined,
      onRetry: (notice) => retries.push(notice),
    });

    const sent = await client.conversation({ sessionId: session.sessionId }).send('answer lost once');

    expect(retries).toEqual([expect.objectContaining({ method: 'sendMessage', attempt: 1, reason: 'network error' })]);
    const stored = (await service.rest.listMessages(session.sessionId)).messages.filter((m) => m.content === 'answer lost once');
    expect(stored.map((m) => m.id)).toEqual([sent.id]);
    client.close();
  });

  it('does not repeat a create whose answer was lost: it may have run, and creating twice is not harmless', async () => {
    const agent = await service.rest.createAgent({ name: `no-repeat-${process.pid}` });
    let calls = 0;
    const client = new SwitchboardClient({
      baseUrl: await t.app.getUrl(),
      token: ADMIN_TOKEN,
      fetch: async (input, init) => {
        calls++;
        await (await fetch(input, init)).text();
        throw new TypeError('fetch failed');
      },
      sleep: async () => undefined,
    });

    await expect(client.rest.createSession({ agentId: agent.id, userId: 'user-no-repeat' })).rejects.toBeInstanceOf(SwitchboardNetworkError);
    expect(calls).toBe(1);
  });
});

describe('@switchboard/client on /ws', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    t = await createTestApp();
    proxy = await TcpProxy.start(portOf(await t.app.getUrl()));
  });

  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  it('chats, queues what is sent while offline, and sends it once the connection is back: stored once', async () => {
    const service = new SwitchboardClient({ baseUrl: await t.app.getUrl(), token: ADMIN_TOKEN });
    const session = await sessionFor(service, 'ws');
    const browser = new SwitchboardClient({ baseUrl: proxy.url, token: session.token });
    const ws = browser.ws({ WebSocket: WebSocket as unknown as WebSocketConstructor, reconnect: { baseDelayMs: 20, maxDelayMs: 100 } });
    const events = new Recorder<WsConnectionEvents>(ws, ['open', 'close', 'message']);

    const connected = await ws.connect();
    expect(connected.tokenKind).toBe('session');
    await ws.joinConversation(session.sessionId);
    expect((await ws.chat('hello over ws')).response).toBe('You said: hello over ws');

    proxy.cut();
    await events.next('close');
    const answer = ws.chat('sent while offline');
    expect(ws.queued).toBe(1);
    proxy.forwardTo(portOf(await t.app.getUrl()));

    expect((await answer).response).toBe('You said: sent while offline');
    expect(events.of('open').map((o) => o.reconnect)).toEqual([false, true]);
    // The conversation was followed again after the reconnect: its messages arrive as `message` frames.
    await events.next('message', (f) => f.data.text === 'You said: sent while offline');
    const stored = (await service.rest.listMessages(session.sessionId)).messages.filter((m) => m.content === 'sent while offline');
    expect(stored).toHaveLength(1);
    ws.close();
    service.close();
  });
});
