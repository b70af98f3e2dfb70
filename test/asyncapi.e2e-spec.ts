import { Parser } from '@asyncapi/parser';
import { ClientToServerEvents, ServerToClientEvents, WS_CLIENT_FRAMES, WS_SERVER_FRAMES } from '@switchboard/client';
import { http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { SocketPool } from './utils-realtime/sockets';
import { WsPool } from './utils-ws/ws-client';
import { admin } from './utils/fixtures';

interface AsyncApiDocument {
  asyncapi: string;
  channels: Record<string, { messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { name: string; payload: Record<string, unknown> }> };
}

/** The event names the document lists on a channel (acks aside). */
function eventNames(doc: AsyncApiDocument, channel: 'socketio' | 'ws'): string[] {
  return Object.values(doc.channels[channel].messages)
    .map(({ $ref }) => doc.components.messages[$ref.split('/').pop()!].name)
    .filter((name) => !name.endsWith(' ack'));
}

describe('AsyncAPI document of the realtime events', () => {
  let t: TestApp;
  let doc: AsyncApiDocument;
  const sockets = SocketPool.for(() => t);
  const wsPool = new WsPool(() => t);

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await http(t).get('/api/asyncapi.json').expect(200)).body as AsyncApiDocument;
  });

  afterEach(async () => {
    sockets.closeAll();
    await wsPool.closeAll();
  });

  afterAll(async () => {
    await t.close();
  });

  it('is served without a token, as JSON', async () => {
    const response = await http(t).get('/api/asyncapi.json').expect(200);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it('is a valid AsyncAPI 3 document by @asyncapi/parser, with no error diagnostics', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);

    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.operations().length).toBeGreaterThan(40);
  });

  it('lists every event the Socket.IO gateway accepts, as the gateway itself names them', async () => {
    const { socket } = await sockets.connect({ token: admin.Authorization.slice('Bearer '.length) });
    const ack = (await socket.timeout(5_000).emitWithAck('no-such-event', {})) as { details: { known: string[] } };

    expect(ack.details.known.length).toBeGreaterThanOrEqual(5);
    expect(eventNames(doc, 'socketio')).toEqual(expect.arrayContaining(ack.details.known));
  });

  it('lists every /ws frame type the server handles, as the server itself names them', async () => {
    const client = await wsPool.connect({ token: admin.Authorization.slice('Bearer '.length) });
    client.send({ id: 'probe', type: 'no-such-type' });
    const error = await client.next((frame) => frame.type === 'error' && frame.id === 'probe');
    const known = (error.data as { context: { known: string[] } }).context.known;

    expect(known.length).toBeGreaterThanOrEqual(10);
    expect(eventNames(doc, 'ws')).toEqual(expect.arrayContaining(known));
  });

  it('lists exactly the events of the types the gateways are compiled against, both directions', () => {
    const serverEvents: Array<keyof ServerToClientEvents> = ['messageBroadcast', 'messageComplete', 'sessionExpired'];
    const clientEvents: Array<keyof ClientToServerEvents> = ['join', 'message', 'typing'];

    expect(eventNames(doc, 'socketio')).toEqual(expect.arrayContaining([...serverEvents, ...clientEvents]));
    expect(eventNames(doc, 'ws').sort()).toEqual([...Object.keys(WS_CLIENT_FRAMES), ...Object.keys(WS_SERVER_FRAMES)].sort());
    // `message` goes both ways on Socket.IO, and `error` on /ws: each direction keeps its own schema.
    expect(eventNames(doc, 'socketio').filter((name) => name === 'message')).toHaveLength(2);
    expect(eventNames(doc, 'ws').filter((name) => name === 'error')).toHaveLength(1);
  });
});
