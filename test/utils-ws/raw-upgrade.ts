import { randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';
import { within } from '../utils-realtime/deadline';
import { WsFrame } from './ws-client';

/**
 * A hand-rolled /ws client that writes the upgrade request and a first text frame in one TCP write,
 * as a fast client whose `onopen` sends at once looks to the server: the frame is there before the
 * server could have checked the token. Server frames are decoded as they come (text, unmasked, < 64 KB).
 */
export class RawUpgrade {
  readonly frames: WsFrame[] = [];
  /** Settles when the TCP connection is gone. The raw client never answers a close frame itself. */
  readonly ended: Promise<void>;
  private buffer = Buffer.alloc(0);
  private upgraded = false;
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(httpUrl: string, token: string, firstFrame: Record<string, unknown>): Promise<RawUpgrade> {
    const { hostname, port } = new URL(httpUrl);
    const socket = connect(Number(port), hostname);
    await within(new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject)), 3_000, 'a TCP connection');
    const request = [
      `GET /ws?token=${encodeURIComponent(token)} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(request), maskedTextFrame(JSON.stringify(firstFrame))]));
    return new RawUpgrade(socket);
  }

  /** Resolves with the first frame that matches, or rejects after `timeoutMs`. */
  async next(predicate: (frame: WsFrame) => boolean, timeoutMs: number): Promise<WsFrame> {
    const found = () => this.frames.find(predicate);
    await within(
      new Promise<void>((resolve) => {
        const wake = () => {
          if (!found()) return;
          this.listeners.delete(wake);
          resolve();
        };
        this.listeners.add(wake);
        wake();
      }),
      timeoutMs,
      `a matching frame (received: ${this.frames.map((f) => f.type).join(', ') || 'nothing'})`,
    );
    return found()!;
  }

  send(frame: Record<string, unknown>): void {
    this.socket.write(maskedTextFrame(JSON.stringify(frame)));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.upgraded = true;
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (let frame = this.takeFrame(); frame; frame = this.takeFrame()) {
      if (frame.opcode === 0x1) this.frames.push(JSON.parse(frame.payload.toString()) as WsFrame);
    }
    this.listeners.forEach((wake) => wake());
  }

  private takeFrame(): { opcode: number; payload: Buffer } | undefined {
    if (this.buffer.length < 2) return undefined;
    const opcode = this.buffer[0] & 0x0f;
    let length = this.buffer[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (this.buffer.length < 4) return undefined;
      length = this.buffer.readUInt16BE(2);
      offset = 4;
    }
    if (this.buffer.length < offset + length) return undefined;
    const payload = this.buffer.subarray(offset, offset + length);
    this.buffer = this.buffer.subarray(offset + length);
    return { opcode, payload };
  }
}

function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 126) throw new Error('Keep the first frame under 126 bytes');
  const mask = randomBytes(4);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}
