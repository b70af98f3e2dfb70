import { RedisAdapter, RedisAdapterOptions } from '@socket.io/redis-adapter';
import { Packr } from 'msgpackr';
import notepack from 'notepack.io';

type Packet = Parameters<RedisAdapter['broadcast']>[0];
type BroadcastOptions = Parameters<RedisAdapter['broadcast']>[1];

/** The in-memory adapter's encoding step, which its typings keep private. */
interface Encoding {
  _encode(packet: unknown, packetOpts: unknown): unknown[];
}

/**
 * The Redis adapter, except that a broadcast no socket of this instance can receive is published
 * and nothing more. The Redis adapter hands every broadcast to the in-memory adapter as well, which
 * encodes the packet for this instance's sockets before it finds there are none in the room: with
 * several instances most rooms have no socket on a given one, and a service that sends over REST
 * has no socket anywhere. (The Redis adapter keeps no packets for connection-state recovery, so a
 * room without sockets here needs nothing kept either.)
 */
export class PublishingRedisAdapter extends RedisAdapter {
  /** True while a broadcast that reaches no socket here runs: its local encoding is skipped. */
  private nobodyHere = false;

  constructor(nsp: unknown, publisher: unknown, subscriber: unknown, options: Partial<RedisAdapterOptions>) {
    super(nsp, publisher, subscriber, options);
    const inherited = RedisAdapter.prototype as unknown as Encoding;
    (this as unknown as Encoding)._encode = (packet, packetOpts) => (this.nobodyHere ? [] : inherited._encode.call(this, packet, packetOpts));
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    this.nobodyHere = !this.reachesSocketsHere(opts.rooms);
    try {
      super.broadcast(packet, opts);
    } finally {
      this.nobodyHere = false;
    }
  }

  /** Whether a broadcast to `rooms` (none: the whole namespace) may reach a socket of this instance. */
  private reachesSocketsHere(rooms: BroadcastOptions['rooms']): boolean {
    if (rooms.size === 0) return true;
    for (const room of rooms) if (this.rooms.has(room)) return true;
    return false;
  }
}

/**
 * What the adapter's messages are written and read with. Written by msgpackr, read by notepack.io,
 * the adapter's default: plain MessagePack either way, so an instance of an earlier release reads
 * these messages as it reads its own, and the other way round (a rolling restart mixes them).
 * notepack.io builds each message as an array of byte values before copying it into a Buffer, which
 * made it the largest allocator of a PostgreSQL + Redis send (9% of the server's bytes, for the eight
 * broadcasts of a send and its reply); msgpackr writes into one growing buffer, about twice as fast.
 * `skipValues` (missing from msgpackr's typings) leaves out undefined fields as notepack.io does;
 * records, msgpackr's own extension, are off.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0]);

export const ADAPTER_PARSER: NonNullable<RedisAdapterOptions['parser']> = {
  encode: (message: unknown) => packr.pack(message),
  decode: (message: unknown) => notepack.decode(message as Buffer),
};

/** The adapter factory Socket.IO's `server.adapter()` takes; Socket.IO calls it with `new`, so no arrow function. */
export function createPublishingAdapter(publisher: unknown, subscriber: unknown, options: Partial<RedisAdapterOptions>) {
  return function (nsp: unknown) {
    return new PublishingRedisAdapter(nsp, publisher, subscriber, { parser: ADAPTER_PARSER, ...options });
  };
}
