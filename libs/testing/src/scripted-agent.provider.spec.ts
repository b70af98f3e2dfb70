import { AgentEntity, AgentRuntimeError, ReplyPart } from '@switchboard/agents';
import { gate } from './deadline';
import { ScriptedAgentProvider, ScriptedReply } from './scripted-agent.provider';

const agent = (id: string) => ({ id, name: `agent ${id}`, runtime: { provider: 'echo' } }) as unknown as AgentEntity;

async function play(sut: ScriptedAgentProvider, agentId = 'a', message = 'Hi', signal = new AbortController().signal): Promise<ReplyPart[]> {
  const parts: ReplyPart[] = [];
  for await (const part of sut.stream({ agent: agent(agentId), message, history: async () => [] }, signal)) parts.push(part);
  return parts;
}

const texts = (parts: ReplyPart[]) => parts.flatMap((part) => (part.type === 'chunk' ? [part.text] : []));

describe('ScriptedAgentProvider', () => {
  it.each<{ name: string; script: ScriptedReply; chunks: string[]; done: Partial<ReplyPart> }>([
    { name: 'chunks, in order', script: { chunks: ['Hel', 'lo'] }, chunks: ['Hel', 'lo'], done: { type: 'done' } },
    { name: 'text as one chunk', script: { text: 'Hello' }, chunks: ['Hello'], done: { type: 'done' } },
    { name: 'thought and actions on done', script: { text: 'ok', thought: 'hm', actions: ['REPLY'] }, chunks: ['ok'], done: { type: 'done', thought: 'hm', actions: ['REPLY'] } },
    { name: 'no text at all', script: {}, chunks: [], done: { type: 'done' } },
  ])('plays $name', async ({ script, chunks, done }) => {
    const sut = new ScriptedAgentProvider().reply(script);
    const parts = await play(sut);
    expect(texts(parts)).toEqual(chunks);
    expect(parts.at(-1)).toMatchObject(done);
  });

  it('echoes, as the built-in provider does, when nothing is scripted', async () => {
    expect(texts(await play(new ScriptedAgentProvider(), 'a', 'ping')).join('')).toBe('You said: ping');
  });

  it('takes queued replies in order, then the `always` reply, then echoes again once `always` is cleared', async () => {
    const sut = new ScriptedAgentProvider().reply({ text: 'one' }, { text: 'two' }).always({ text: 'always' });
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(texts(await play(sut)).join(''));
    sut.always(undefined);
    replies.push(texts(await play(sut, 'a', 'x')).join(''));
    expect(replies).toEqual(['one', 'two', 'always', 'always', 'You said: x']);
  });

  it("serves an agent's own replies before the replies for any agent, and leaves other agents' replies alone", async () => {
    const sut = new ScriptedAgentProvider().reply({ text: 'anyone' }).replyAs('b', { text: 'for b' });
    const replies = [];
    for (const agentId of ['a', 'b', 'b']) replies.push(texts(await play(sut, agentId)).join(''));
    expect(replies).toEqual(['anyone', 'for b', 'You said: Hi']);
  });

  it('records what each agent was asked', async () => {
    const sut = new ScriptedAgentProvider();
    await play(sut, 'a', 'first');
    await play(sut, 'b', 'second');
    expect(sut.requests).toEqual([
      { agentId: 'a', agentName: 'agent a', message: 'first' },
      { agentId: 'b', agentName: 'agent b', message: 'second' },
    ]);
  });

  it('fails after the chunks it sent, with PROVIDER_ERROR', async () => {
    const sut = new ScriptedAgentProvider().reply({ chunks: ['partial'], fail: 'model down' });
    const parts: ReplyPart[] = [];
    const failure = await (async () => {
      for await (const part of sut.stream({ agent: agent('a'), message: 'Hi', history: async () => [] }, new AbortController().signal)) parts.push(part);
    })().catch((error: unknown) => error);
    expect(texts(parts)).toEqual(['partial']);
    expect(failure).toBeInstanceOf(AgentRuntimeError);
    expect(failure).toMatchObject({ code: 'PROVIDER_ERROR', message: 'model down' });
  });

  it('holds the reply until its gate opens', async () => {
    const held = gate();
    const sut = new ScriptedAgentProvider().reply({ text: 'late', until: held.promise });
    let settled = false;
    const reply = play(sut).finally(() => (settled = true));
    await sut.waitForRequests(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    held.open();
    expect(texts(await reply)).toEqual(['late']);
  });

  it.each<{ name: string; script: ScriptedReply }>([
    { name: 'a stall', script: { chunks: ['so far'], stall: true } },
    { name: 'a gate that never opens', script: { until: new Promise(() => undefined) } },
    { name: 'a long delay', script: { delayMs: 60_000 } },
  ])('gives up on $name when the reply deadline aborts the turn', async ({ script }) => {
    const sut = new ScriptedAgentProvider().reply(script);
    const deadline = new AbortController();
    const reply = play(sut, 'a', 'Hi', deadline.signal);
    await sut.waitForRequests(1);
    deadline.abort();
    await expect(reply).rejects.toThrow('aborted');
  });
});
