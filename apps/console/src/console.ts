import { Conversation, SwitchboardApiError, SwitchboardClient } from '@switchboard/client';

const TOKEN_KEY = 'switchboard.console.token';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let client: SwitchboardClient | undefined;
let conversation: Conversation | undefined;
let oldestCursor: number | null = null;
/** Counted down from what the server said was left, so the browser's own clock does not matter. */
let expiry: { remainingMs: number; at: number } | undefined;
let expired = false;
const streaming = new Map<string, HTMLLIElement>();

function log(direction: 'in' | 'out', what: string, payload: unknown): void {
  const item = document.createElement('li');
  item.className = direction;
  item.textContent = `${direction === 'in' ? '←' : '→'} ${what} ${JSON.stringify(payload)}`;
  $('log').prepend(item);
}

function showError(error: unknown): void {
  $('error').textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** REST calls show in the event log too: every frame in and out. */
const loggingFetch: typeof fetch = async (input, init) => {
  log('out', `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`, init?.body ? JSON.parse(String(init.body)) : {});
  const response = await fetch(input, init);
  log('in', `${response.status} ${new URL(String(input)).pathname}`, response.headers.get('content-type')?.includes('json') ? await response.clone().json() : '(stream)');
  return response;
};

async function signIn(token: string): Promise<void> {
  client?.close();
  client = new SwitchboardClient({ baseUrl: location.origin, token, fetch: loggingFetch });
  client.realtime.socket.onAny((event: string, payload: unknown) => log('in', event, payload));
  client.realtime.socket.onAnyOutgoing((event: string, payload: unknown) => log('out', event, payload));
  const established = await client.realtime.connect();
  sessionStorage.setItem(TOKEN_KEY, token);
  $('who').textContent = `${established.entityId} (${established.tokenKind})`;
  $('workspace').hidden = false;
  $('sign-out').hidden = false;
  if (established.tokenKind === 'session') {
    $('sessions').hidden = true;
    return;
  }
  const { agents } = await client.rest.listAgents({ limit: 100 });
  $('agents').replaceChildren(...agents.map((agent) => Object.assign(document.createElement('li'), { textContent: `${agent.name} (${agent.status})` })));
  $('agent').replaceChildren(...agents.map((agent) => Object.assign(document.createElement('option'), { value: agent.id, textContent: agent.name })));
}

function renderMessage(message: { id: string; text: string; senderId: string; isAgent: boolean }, where: 'append' | 'prepend' = 'append'): void {
  if (document.querySelector(`[data-id="${message.id}"]`)) return;
  const item = streaming.get(message.id) ?? document.createElement('li');
  streaming.delete(message.id);
  item.className = message.isAgent ? 'agent' : 'user';
  item.dataset.id = message.id;
  item.textContent = `${message.senderId}: ${message.text}`;
  if (!item.isConnected) $('messages')[where](item);
}

function setExpiry(timeRemaining: number): void {
  expiry = { remainingMs: timeRemaining, at: performance.now() };
}

async function open(sessionId: string): Promise<void> {
  if (!client) return;
  conversation?.close();
  $('messages').replaceChildren();
  expired = false;
  ($('text') as HTMLInputElement).disabled = false;
  for (const id of ['warning-banner', 'expired-banner']) $(id).hidden = true;
  const chat = client.conversation({ sessionId });
  conversation = chat;
  chat.on('message', (m) => renderMessage(m));
  chat.on('chunk', (c) => {
    if (document.querySelector(`[data-id="${c.messageId}"]`)) return;
    let item = streaming.get(c.messageId);
    if (!item) {
      item = Object.assign(document.createElement('li'), { className: 'agent streaming' });
      streaming.set(c.messageId, item);
      $('messages').append(item);
    }
    item.textContent = `${c.agentId}: ${(item.textContent?.split(': ').slice(1).join(': ') ?? '') + c.chunk}`;
  });
  chat.on('typing', (t) => ($('typing').textContent = t.isTyping ? `${t.entityId} is typing…` : ''));
  chat.on('joined', (p) => ($('presence').textContent = `${p.entityId} joined`));
  chat.on('left', (p) => ($('presence').textContent = `${p.entityId} left`));
  chat.on('status', (s) => setExpiry(s.timeRemaining));
  chat.on('warning', (w) => {
    $('warning-banner').hidden = false;
    $('warning-banner').textContent = `Expires in ${w.minutesRemaining} min`;
    void chat.session().then((s) => setExpiry(s.timeRemaining), showError);
  });
  chat.on('renewed', () => {
    $('warning-banner').hidden = true;
    void chat.session().then((s) => setExpiry(s.timeRemaining));
  });
  chat.on('expired', showExpired);
  chat.on('lost', showExpired);
  const session = await chat.session();
  setExpiry(session.timeRemaining);
  $('current-session').textContent = session.sessionId;
  $('chat').hidden = false;
  await chat.join();
  await loadOlder(true);
  chat.startHeartbeat(60_000);
}

function showExpired(): void {
  expired = true;
  $('expired-banner').hidden = false;
  $('warning-banner').hidden = true;
  expiry = { remainingMs: 0, at: performance.now() };
  ($('text') as HTMLInputElement).disabled = true;
}

async function loadOlder(first = false): Promise<void> {
  if (!conversation) return;
  const page = await conversation.history({ limit: 20, ...(first || oldestCursor === null ? {} : { before: oldestCursor }) });
  oldestCursor = page.cursors.before;
  for (const m of page.messages) renderMessage({ id: m.id, text: m.content, senderId: m.authorId, isAgent: m.isAgent }, 'prepend');
  $('older').hidden = !page.hasMore;
}

function tick(): void {
  if (expired) {
    $('countdown').textContent = 'Expired';
  } else if (expiry) {
    const left = Math.max(0, expiry.remainingMs - (performance.now() - expiry.at));
    const minutes = Math.floor(left / 60_000);
    const seconds = Math.floor((left % 60_000) / 1000);
    $('countdown').textContent = `Expires in ${minutes}:${String(seconds).padStart(2, '0')}`;
  }
}

function on(id: string, event: string, handler: (event: Event) => Promise<void> | void): void {
  $(id).addEventListener(event, (e) => {
    if (event === 'submit') e.preventDefault();
    $('error').textContent = '';
    Promise.resolve(handler(e)).catch(showError);
  });
}

on('sign-in', 'submit', () => signIn(($('token') as HTMLInputElement).value.trim()));
on('sign-out', 'click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
on('create-session', 'submit', async () => {
  const value = (id: string) => Number(($(id) as HTMLInputElement).value);
  const session = await client!.rest.createSession({
    agentId: ($('agent') as HTMLSelectElement).value,
    userId: ($('user-id') as HTMLInputElement).value,
    timeoutConfig: { timeoutMinutes: value('timeout'), warningThresholdMinutes: value('warning'), maxDurationMinutes: value('max-duration'), autoRenew: ($('auto-renew') as HTMLInputElement).checked },
  });
  ($('session-id') as HTMLInputElement).value = session.sessionId;
  await open(session.sessionId);
});
on('open-session', 'submit', () => open(($('session-id') as HTMLInputElement).value.trim()));
on('compose', 'submit', async () => {
  const input = $('text') as HTMLInputElement;
  const text = input.value;
  input.value = '';
  await conversation!.stream(text);
});
on('text', 'input', () => conversation?.typing(true));
on('renew', 'click', async () => {
  try {
    await conversation!.renew();
  } catch (error) {
    if (error instanceof SwitchboardApiError && error.isSessionLost) showExpired();
    throw error;
  }
});
on('older', 'click', () => loadOlder());

setInterval(tick, 250);
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) void signIn(saved).catch(showError);
