import { randomUUID } from 'node:crypto';
import { SqlExecutor } from '@switchboard/persistence';
import { admin, createAgent, createSession, http } from './utils/fixtures';
import { ADMIN_TOKEN, createTestApp, TestApp } from './utils/test-app';
import { FakeOpenAi, gate, stream } from './utils-realtime/fake-openai';
import { AgentResponseBody, ChannelMessageBody, channelHistory, channelMessagesPath, createChannel, postForEventStream, sessionMessagesPath } from './utils-realtime/rest';
import { ClientSocket, expectOk, settle, SocketPool } from './utils-realtime/sockets';

/** The deadline of the stall tests; everything else runs with a generous one so a busy machine cannot trip it. */
const REPLY_TIMEOUT_MS = 400;
const GENEROUS_TIMEOUT_MS = 10_000;
const SYSTEM = { role: 'system', content: expect.any(String) };

interface PostedBody {
  success: true;
  userMessage: ChannelMessageBody;
  agentResponse?: AgentResponseBody | null;
  agentError?: { code: string; message: string };
}

describe('Agent runtime: the openai provider against a fake OpenAI-compatible server', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  const sockets = SocketPool.for(() => t);

  const startApp = (replyTimeoutMs: number) =>
    createTestApp({
      env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'test-key', OPENAI_MODEL: 'env-model', AGENT_REPLY_TIMEOUT_MS: String(replyTimeoutMs) },
    });

  beforeAll(async () => {
    fake = await FakeOpenAi.start();
    t = await startApp(GENEROUS_TIMEOUT_MS);
  });

  beforeEach(() => fake.reset());

  afterEach(() => sockets.closeAll());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  /** A channel answered by one openai agent, with an admin socket in its room. */
  const openAiChannel = async (runtime: Record<string, unknown> = { provider: 'openai', model: 'fake-model' }) => {
    const agent = await createAgent(t, { runtime });
    const channel = await createChannel(t, { agentIds: [agent.id] });
    const watcher = await sockets.connect({ token: ADMIN_TOKEN });
    await expectOk(watcher.socket, 'join', { roomId: channel.id });
    return { agent, channel, watcher };
  };

  const post = (channelId: string, body: Record<string, unknown>) =>
    http(t)
      .post(channelMessagesPath(channelId))
      .set(admin)
      .send({ entityId: 'user-1', ...body });

  const turnEnded = (watcher: ClientSocket, userMessageId: string) => watcher.log.next('messageComplete', (c) => c.inReplyTo === userMessageId);

  describe('a streamed reply', () => {
    it('is stored as the agent\'s message (isAgent true) and broadcast to the room', async () => {
      const { agent, channel, watcher } = await openAiChannel();
      fake.reply(stream('Hel', 'lo ', 'world'));

      const sent = (await post(channel.id, { text: 'greet me' }).expect(201)).body as PostedBody;
      const complete = await turnEnded(watcher, sent.userMessage.id);
      const broadcast = await watcher.log.next('messageBroadcast', (b) => b.isAgent);

      expect(complete).toMatchObject({ success: true, messageId: broadcast.id, agentId: agent.id });
      expect(broadcast).toMatchObject({ text: 'Hello world', senderId: agent.id, senderName: agent.name, source: 'agent', metadata: { inReplyTo: sent.userMessage.id } });
      expect((await channelHistory(t, channel.id)).map((m) => [m.text, m.isAgent, m.authorId])).toEqual([
        ['greet me', false, 'user-1'],
        ['Hello world', true, agent.id],
      ]);
    });

    it('reaches an SSE client chunk by chunk, as the provider streamed it', async () => {
      const { agent, channel } = await openAiChannel();
      fake.reply(stream('Once', ' upon', ' a time'));

      const { events } = await postForEventStream(t, channelMessagesPath(channel.id), { text: 'tell a story', entityId: 'user-1', mode: 'stream' });

      expect(events.map((e) => e.event)).toEqual(['user_message', 'chunk', 'chunk', 'chunk', 'done']);
      expect(events.slice(1, 4).map((e) => [e.data.chunk, e.data.index])).toEqual([
        ['Once', 0],
        [' upon', 1],
        [' a time', 2],
      ]);
      expect(events[4].data).toEqual({ messageId: events[1].data.messageId, agentId: agent.id, text: 'Once upon a time', thought: null, actions: [] });
    });

    it('answers a sync send with agentResponse', async () => {
      const { agent, channel } = await openAiChannel();
      fake.reply(stream('Sure', '.'));

      const body = (await post(channel.id, { text: 'ok?', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(body.agentResponse).toEqual({ messageId: expect.any(String), agentId: agent.id, text: 'Sure.', thought: null, actions: [] });
    });
  });

  describe('the request it sends', () => {
    it('POSTs /chat/completions under the base URL with the Bearer key, the agent\'s model and stream: true', async () => {
      const { channel } = await openAiChannel();

      await post(channel.id, { text: 'first', mode: 'sync' }).expect(201);

      expect(fake.requests).toHaveLength(1);
      const [request] = fake.requests;
      expect({ method: request.method, path: request.path, authorization: request.headers.authorization }).toEqual({
        method: 'POST',
        path: '/v1/chat/completions',
        authorization: 'Bearer test-key',
      });
      expect(request.body).toEqual({ model: 'fake-model', stream: true, messages: [SYSTEM, { role: 'user', content: 'first' }] });
    });

    it('sends the channel\'s conversation so far: the second message carries the first exchange', async () => {
      const { channel } = await openAiChannel();
      fake.reply(stream('Reply', ' one'), stream('Reply two'));

      await post(channel.id, { text: 'question one', mode: 'sync' }).expect(201);
      await post(channel.id, { text: 'question two', mode: 'sync' }).expect(201);

      expect(fake.requests[1].body.messages).toEqual([
        SYSTEM,
        { role: 'user', content: 'question one' },
        { role: 'assistant', content: 'Reply one' },
        { role: 'user', content: 'question two' },
      ]);
    });

    it('sends a session\'s history the same way (the session\'s channel is the conversation)', async () => {
      const agent = await createAgent(t, { runtime: { provider: 'openai', model: 'fake-model' } });
      const session = await createSession(t, { agentId: agent.id });
      fake.reply(stream('A1'), stream('A2'));

      await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'Q1', mode: 'sync' }).expect(201);
      const second = await http(t).post(sessionMessagesPath(session.sessionId)).set(admin).send({ content: 'Q2', mode: 'sync' }).expect(201);

      expect(second.body.agentResponse).toMatchObject({ text: 'A2', agentId: agent.id });
      expect(fake.requests[1].body.messages).toEqual([SYSTEM, { role: 'user', content: 'Q1' }, { role: 'assistant', content: 'A1' }, { role: 'user', content: 'Q2' }]);
    });

    it('uses OPENAI_MODEL when the agent names no model', async () => {
      const { channel } = await openAiChannel({ provider: 'openai' });

      await post(channel.id, { text: 'which model?', mode: 'sync' }).expect(201);

      expect(fake.requests[0].body.model).toBe('env-model');
    });

    it('uses the agent\'s runtime.baseUrl over OPENAI_BASE_URL', async () => {
      const other = await FakeOpenAi.start(stream('from the other one'));
      try {
        const { channel } = await openAiChannel({ provider: 'openai', model: 'fake-model', baseUrl: other.baseUrl });

        const body = (await post(channel.id, { text: 'where?', mode: 'sync' }).expect(201)).body as PostedBody;

        expect(body.agentResponse?.text).toBe('from the other one');
        expect(other.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
        expect(fake.requests).toEqual([]);
      } finally {
        await other.close();
      }
    });

    it('has one agent answer one message at a time per channel, in the order they were sent', async () => {
      const { channel, watcher } = await openAiChannel();
      const firstReplyHeld = gate();
      fake.reply({ kind: 'stream', chunks: ['R1'], hold: firstReplyHeld.promise }, stream('R2'), stream('R3'));

      const sent: PostedBody[] = [];
      sent.push((await post(channel.id, { text: 'Q1' }).expect(201)).body);
      await fake.requestCount(1);
      sent.push((await post(channel.id, { text: 'Q2' }).expect(201)).body);
      sent.push((await post(channel.id, { text: 'Q3' }).expect(201)).body);
      firstReplyHeld.open();
      await watcher.log.waitFor('messageComplete', () => true, { count: 3 });
      const replies = (await channelHistory(t, channel.id)).filter((m) => m.isAgent);

      expect(fake.maxInFlight).toBe(1);
      expect(fake.requests.map((r) => r.body.messages?.at(-1)?.content)).toEqual(['Q1', 'Q2', 'Q3']);
      expect(replies.map((r) => [r.text, r.metadata.inReplyTo])).toEqual(sent.map((s, i) => [`R${i + 1}`, s.userMessage.id]));
    });

    it('runs the turns queued behind a running one without reading the store again: ending each turn claims the next, with its message, in its commit', async () => {
      const { channel, watcher } = await openAiChannel();
      const firstReplyHeld = gate();
      fake.reply({ kind: 'stream', chunks: ['R1'], hold: firstReplyHeld.promise }, stream('R2'), stream('R3'));
      await post(channel.id, { text: 'Q1' }).expect(201);
      await fake.requestCount(1);
      const reads = vi.spyOn(t.app.get(SqlExecutor), 'query');

      await post(channel.id, { text: 'Q2' }).expect(201);
      await post(channel.id, { text: 'Q3' }).expect(201);
      firstReplyHeld.open();
      await watcher.log.waitFor('messageComplete', () => true, { count: 3 });
      const rowsRead = reads.mock.calls.map(([statement]) => /^SELECT \* FROM (\w+) WHERE (\w+)/.exec(statement.text.postgres)?.slice(1).join(' by '));
      reads.mockRestore();

      expect(fake.requests.map((r) => r.body.messages?.at(-1)?.content)).toEqual(['Q1', 'Q2', 'Q3']);
      // Neither a claim attempt (a read of the channel's head turn) per queued send, nor a read of each claimed turn's message.
      expect(rowsRead.filter((read) => read === 'agent_turns by channel_id' || read === 'messages by id')).toEqual([]);
      expect(rowsRead).toContain('messages by channel_id'); // the history each turn reads: the spy sees the reads
    });

    it('answers a sync retry that arrives while the original waits with the same reply, asking the model once', async () => {
      const { channel } = await openAiChannel();
      const held = gate();
      fake.reply({ kind: 'stream', chunks: ['only ', 'once'], hold: held.promise });
      const messageId = randomUUID();

      const original = post(channel.id, { text: 'are you there?', messageId, mode: 'sync' }).expect(201).then((r) => r.body as PostedBody);
      await fake.requestCount(1);
      const retry = post(channel.id, { text: 'are you there?', messageId, mode: 'sync' }).expect(201).then((r) => r.body as PostedBody);
      held.open();
      const [first, second] = await Promise.all([original, retry]);

      expect(first.agentResponse?.text).toBe('only once');
      expect(second).toEqual(first);
      expect(fake.requests).toHaveLength(1);
    });

    it('includes an earlier reply in the history even when the next message was sent before that reply was stored', async () => {
      const { channel, watcher } = await openAiChannel();
      const firstReplyHeld = gate();
      fake.reply({ kind: 'stream', chunks: ['R1'], hold: firstReplyHeld.promise }, stream('R2'));

      await post(channel.id, { text: 'Q1' }).expect(201);
      await fake.requestCount(1);
      await post(channel.id, { text: 'Q2' }).expect(201);
      firstReplyHeld.open();
      await watcher.log.waitFor('messageComplete', () => true, { count: 2 });

      expect(fake.requests[1].body.messages).toEqual([SYSTEM, { role: 'user', content: 'Q1' }, { role: 'assistant', content: 'R1' }, { role: 'user', content: 'Q2' }]);
    });
  });

  describe('a client that goes away', () => {
    it('does not stop the turn: an SSE client that disconnects mid-reply still gets the reply stored and broadcast', async () => {
      const { channel, watcher } = await openAiChannel();
      const held = gate();
      fake.reply({ kind: 'stream', chunks: ['finished', ' anyway'], hold: held.promise });
      const aborted = new AbortController();

      const response = await fetch(`${await t.app.getUrl()}${channelMessagesPath(channel.id)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...admin },
        body: JSON.stringify({ text: 'never mind', entityId: 'user-1', mode: 'stream' }),
        signal: aborted.signal,
      });
      await fake.requestCount(1);
      aborted.abort();
      await response.text().catch(() => undefined);
      held.open();
      const complete = await watcher.log.next('messageComplete');

      expect(complete.success).toBe(true);
      expect((await channelHistory(t, channel.id)).map((m) => m.text)).toEqual(['never mind', 'finished anyway']);
    });
  });

  describe('a provider that fails', () => {
    it('ends the turn: the room gets `error`, then messageComplete (success false), then input is enabled again', async () => {
      const agent = await createAgent(t, { runtime: { provider: 'openai', model: 'fake-model' } });
      const session = await createSession(t, { agentId: agent.id });
      const client = await sockets.connect({ token: session.token });
      await expectOk(client.socket, 'join', { roomId: session.sessionId });
      fake.reply({ kind: 'fail', status: 500 });

      const sent = await expectOk(client.socket, 'message', { text: 'break', roomId: session.sessionId });
      await client.log.next('controlMessage', (c) => c.action === 'enable_input');
      await settle(client.socket);

      const room = { roomId: session.sessionId, channelId: session.channelId, sessionId: session.sessionId };
      // Each `message` is the typed envelope: CONTROL (6) beside each controlMessage, THINKING (5) between.
      expect(client.log.names(session.sessionId)).toEqual(['messageBroadcast', 'controlMessage', 'message', 'message', 'error', 'messageComplete', 'controlMessage', 'message']);
      expect(client.log.of('error')).toEqual([
        { error: 'AgentReplyError', code: 'PROVIDER_ERROR', message: expect.stringContaining('500'), details: { ...room, agentId: agent.id, inReplyTo: sent.id } },
      ]);
      expect(client.log.of('messageComplete')).toEqual([{ ...room, serverId: client.established.serverId, agentId: agent.id, inReplyTo: sent.id, messageId: null, success: false }]);
    });

    it('keeps the user\'s message stored, and stores no reply', async () => {
      const { channel, watcher } = await openAiChannel();
      fake.reply({ kind: 'fail', status: 503 });

      const sent = (await post(channel.id, { text: 'still here?' }).expect(201)).body as PostedBody;
      await turnEnded(watcher, sent.userMessage.id);

      expect(await channelHistory(t, channel.id)).toEqual([sent.userMessage]);
    });

    it('answers a sync send 201 with agentResponse null and agentError', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'fail', status: 500 });

      const response = await post(channel.id, { text: 'sync failure', mode: 'sync' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        success: true,
        userMessage: expect.objectContaining({ text: 'sync failure' }),
        agentResponse: null,
        agentError: { code: 'PROVIDER_ERROR', message: expect.any(String) },
      });
    });

    it('treats a malformed chunk as a provider error and stores nothing of the reply', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'raw', body: 'data: {"choices":[{"delta":{"content":"ok"}}]}\n\ndata: {not json\n\n' });

      const body = (await post(channel.id, { text: 'garbled', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(body.agentError?.code).toBe('PROVIDER_ERROR');
      expect((await channelHistory(t, channel.id)).filter((m) => m.isAgent)).toEqual([]);
    });

    it('treats a connection cut mid-reply as a provider error and stores nothing of the reply', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'drop-mid-stream', chunks: ['Half'] });

      const body = (await post(channel.id, { text: 'cut off', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(body.agentError?.code).toBe('PROVIDER_ERROR');
      expect((await channelHistory(t, channel.id)).filter((m) => m.isAgent)).toEqual([]);
    });

    // Messages are 1–10,000 characters everywhere: an empty completion ends the turn with an error.
    it('treats a reply without any content as a provider error instead of storing an empty message', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'raw', body: 'data: [DONE]\n\n' });

      const body = (await post(channel.id, { text: 'say nothing', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(body.agentError?.code).toBe('PROVIDER_ERROR');
      expect((await channelHistory(t, channel.id)).filter((m) => m.isAgent)).toEqual([]);
    });

    it('ends the SSE stream with `error` and closes it', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'fail', status: 500 });

      const { status, events } = await postForEventStream(t, channelMessagesPath(channel.id), { text: 'stream a failure', entityId: 'user-1', mode: 'sse' });

      expect(status).toBe(201);
      expect(events).toEqual([
        { event: 'user_message', data: expect.objectContaining({ text: 'stream a failure' }) },
        { event: 'error', data: { error: 'AgentReplyError', code: 'PROVIDER_ERROR', message: expect.any(String) } },
      ]);
    });
  });

  describe('a provider that stalls', () => {
    let generous: TestApp;

    // These tests run on an app whose reply deadline is short; every helper above follows `t`.
    beforeAll(async () => {
      generous = t;
      t = await startApp(REPLY_TIMEOUT_MS);
      const { channel } = await openAiChannel();
      await post(channel.id, { text: 'warm up', mode: 'sync' }).expect(201);
      sockets.closeAll();
    });

    afterAll(async () => {
      await t.close();
      t = generous;
    });
    it('times out after AGENT_REPLY_TIMEOUT_MS: agentError PROVIDER_TIMEOUT, and the room is told', async () => {
      const { channel, watcher } = await openAiChannel();
      fake.reply({ kind: 'stall' });

      const started = Date.now();
      const body = (await post(channel.id, { text: 'hello?', mode: 'sync' }).expect(201)).body as PostedBody;
      const elapsed = Date.now() - started;
      const complete = await turnEnded(watcher, body.userMessage.id);
      await settle(watcher.socket);

      expect(body.agentResponse).toBeNull();
      expect(body.agentError).toEqual({ code: 'PROVIDER_TIMEOUT', message: expect.stringContaining(`${REPLY_TIMEOUT_MS} ms`) });
      expect(elapsed).toBeGreaterThanOrEqual(REPLY_TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(REPLY_TIMEOUT_MS + 2_000);
      expect(complete.success).toBe(false);
      expect(watcher.log.of('error')).toEqual([expect.objectContaining({ code: 'PROVIDER_TIMEOUT' })]);
      expect(await channelHistory(t, channel.id)).toEqual([body.userMessage]);
    });

    it('still answers the next message in the channel after a timeout', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'stall' }, stream('back again'));

      const stalled = (await post(channel.id, { text: 'one', mode: 'sync' }).expect(201)).body as PostedBody;
      const next = (await post(channel.id, { text: 'two', mode: 'sync' }).expect(201)).body as PostedBody;

      expect(stalled.agentError?.code).toBe('PROVIDER_TIMEOUT');
      expect(next.agentResponse?.text).toBe('back again');
      expect((await channelHistory(t, channel.id)).map((m) => m.text)).toEqual(['one', 'two', 'back again']);
    });

    it('answers a message queued behind a stalled turn once that turn times out', async () => {
      const { channel, watcher } = await openAiChannel();
      fake.reply({ kind: 'stall' }, stream('queued answer'));

      const first = (await post(channel.id, { text: 'stall here' }).expect(201)).body as PostedBody;
      await fake.requestCount(1);
      const second = (await post(channel.id, { text: 'queued' }).expect(201)).body as PostedBody;
      const completes = await watcher.log.waitFor('messageComplete', () => true, { count: 2 });

      expect(completes.map((c) => [c.inReplyTo, c.success])).toEqual([
        [first.userMessage.id, false],
        [second.userMessage.id, true],
      ]);
    });

    it('streams what arrived, then `error`, and closes the SSE stream when the provider stalls mid-reply', async () => {
      const { channel } = await openAiChannel();
      fake.reply({ kind: 'stall-mid-stream', chunks: ['Partial'] });

      const { events } = await postForEventStream(t, channelMessagesPath(channel.id), { text: 'half an answer', entityId: 'user-1', mode: 'stream' });

      expect(events.map((e) => e.event)).toEqual(['user_message', 'chunk', 'error']);
      expect(events[1].data).toMatchObject({ chunk: 'Partial', index: 0 });
      expect(events[2].data).toEqual({ error: 'AgentReplyError', code: 'PROVIDER_TIMEOUT', message: expect.any(String) });
      expect((await channelHistory(t, channel.id)).filter((m) => m.isAgent)).toEqual([]);
    });
  });
});
