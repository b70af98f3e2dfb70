import notepack from 'notepack.io';
import { ADAPTER_PARSER } from './publishing-redis.adapter';
import { broadcastView, inRoom, roomFields } from './socket-io.fanout';

const message = {
  id: '01938a7e-7c1e-7000-8000-000000000003',
  channelId: '01938a7e-7c1e-7000-8000-000000000002',
  authorId: '01938a7e-7c1e-7000-8000-000000000004',
  content: 'héllo 🎉, it\'s "quoted"',
  isAgent: false,
  createdAt: Date.UTC(2026, 11, 3),
  clientMessageId: undefined,
  thought: null,
  actions: undefined,
  attachments: [{ url: 'https://example.test/a.png', contentType: 'image/png' }],
  metadata: { inReplyTo: null, score: 0.25, count: 70_000, big: 2 ** 40, negative: -129, nested: { empty: [], gone: undefined } },
} as never;
const room = roomFields('01938a7e-7c1e-7000-8000-000000000002', '01938a7e-7c1e-7000-8000-000000000001');
const view = broadcastView({ message, senderName: 'Ada', source: 'api', sessionId: '01938a7e-7c1e-7000-8000-000000000001' }, 'server-1');
const broadcast = (event: string, payload: unknown) => ['AbC123', { type: 2, data: [event, payload], nsp: '/' }, { rooms: [room.channelId], except: [], flags: {} }];

/** What the adapter sends: broadcasts as the fan-out builds them, a server-side event, and values of every MessagePack size class. */
const messages: Record<string, unknown> = {
  'a message broadcast': broadcast('messageBroadcast', view),
  'a control message': broadcast('controlMessage', inRoom(room, { action: 'disable_input', agentId: 'agent-1' })),
  'a server-side event': { uid: 'AbC123', type: 6, data: ['ws:conversation', { channelId: room.channelId, type: 'message', data: view, except: undefined }] },
  integers: [0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32_768, -32_769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53 - 1)],
  floats: [0.5, -0.5, 1e-300, 123.456, -(2 ** 40) - 0.5, Number.MIN_VALUE],
  strings: ['', 'a'.repeat(31), 'b'.repeat(32), 'c'.repeat(255), 'd'.repeat(256), 'e'.repeat(65_535), 'f'.repeat(65_536), 'ü🎉'.repeat(100)],
  'arrays and maps of every length class': {
    short: Array.from({ length: 15 }, (_, i) => i),
    medium: Array.from({ length: 16 }, (_, i) => `item ${i}`),
    long: Array.from({ length: 65_536 }, (_, i) => i % 3 === 0),
    map16: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`key${i}`, i])),
    map15: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`key${i}`, null])),
  },
  'undefined fields': { only: undefined, kept: true, nested: { gone: undefined } },
  'dates and bytes': { at: new Date(Date.UTC(2026, 11, 3, 15, 0, 0, 123)), before1970: new Date(-1), bytes: Buffer.from([0, 1, 254, 255]) },
};

describe('the Redis adapter parser', () => {
  it.each(Object.entries(messages))('writes %s so that the adapter default decoder reads what it read from its own encoder', (_, value) => {
    const ours = ADAPTER_PARSER.encode(value);
    expect(notepack.decode(ours)).toStrictEqual(notepack.decode(notepack.encode(value)));
    expect(ADAPTER_PARSER.decode(notepack.encode(value))).toStrictEqual(ADAPTER_PARSER.decode(ours));
  });

  it('writes an undefined array element, which the default encoder writes as null, as undefined: clients receive null either way', () => {
    const value = { list: [1, undefined, 3] };
    const decoded = notepack.decode(ADAPTER_PARSER.encode(value));
    expect(decoded).toStrictEqual({ list: [1, undefined, 3] });
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(notepack.decode(notepack.encode(value))));
  });

  it('writes whole doubles beyond 64 bits exactly (the default encoder writes 1e300 as 0)', () => {
    expect(notepack.decode(ADAPTER_PARSER.encode([1e300, Number.MAX_VALUE]))).toStrictEqual([1e300, Number.MAX_VALUE]);
  });

  it('leaves undefined fields out, as the default encoder does', () => {
    const decoded = ADAPTER_PARSER.decode(ADAPTER_PARSER.encode({ kept: 1, gone: undefined })) as object;
    expect(Object.keys(decoded)).toEqual(['kept']);
  });

  it('writes each message into a buffer of its own: a later message leaves an earlier one as it was', () => {
    const first = ADAPTER_PARSER.encode(broadcast('messageBroadcast', view)) as Uint8Array;
    const copy = Buffer.from(first);
    for (let i = 0; i < 2_000; i++) ADAPTER_PARSER.encode(broadcast('messageComplete', inRoom(room, { messageId: `reply ${i}` })));
    expect(Buffer.from(first).equals(copy)).toBe(true);
  });
});
