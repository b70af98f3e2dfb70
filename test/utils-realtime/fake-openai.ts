import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface RecordedCompletion {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; stream?: boolean; messages?: ChatMessage[] };
}

/** How the fake answers one request. */
export type FakeReply =
  /** SSE chunks, then `data: [DONE]`; with `hold`, nothing is sent until it resolves. */
  | { kind: 'stream'; chunks: string[]; hold?: Promise<void> }
  /** An HTTP error status with a JSON body. */
  | { kind: 'fail'; status: number }
  /** Headers (and the chunks given) are sent, then nothing more, ever. */
  | { kind: 'stall-mid-stream'; chunks: string[] }
  /** The request is read and never answered. */
  | { kind: 'stall' }
  /** Headers and the chunks given, then the connection is cut. */
  | { kind: 'drop-mid-stream'; chunks: string[] }
  /** A 200 event stream with exactly this body, e.g. a malformed chunk. */
  | { kind: 'raw'; body: string };

export const stream = (...chunks: string[]): FakeReply => ({ kind: 'stream', chunks });

/**
 * An OpenAI-compatible `/chat/completions` endpoint on loopback. Replies follow the script given to
 * `reply()`, then the default; every request is recorded, and `maxInFlight` says how many were ever
 * open at once.
 */
export class FakeOpenAi {
  readonly requests: RecordedCompletion[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly script: FakeReply[] = [];
  private readonly server: Server;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly fallback: FakeReply) {
    this.server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parse(raw) });
        this.waiters.forEach((wake) => wake());
        if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
          res.writeHead(404).end();
          return;
        }
        this.track(res);
        void this.answer(res, this.script.shift() ?? this.fallback);
      });
    });
  }

  static async start(fallback: FakeReply = stream('Hello', ' from', ' fake')): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi(fallback);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to configure, e.g. `http://127.0.0.1:4321/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Queues how the next requests are answered, in order. */
  reply(...replies: FakeReply[]): void {
    this.script.push(...replies);
  }

  /** Resolves once `count` requests have arrived in total. */
  async requestCount(count: number, timeoutMs = 5_000): Promise<RecordedCompletion[]> {
    if (this.requests.length >= count) return this.requests;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`The fake provider got ${this.requests.length} requests, not ${count}, within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        if (this.requests.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
    return this.requests;
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
  }

  private async answer(res: ServerResponse, reply: FakeReply): Promise<void> {
    switch (reply.kind) {
      case 'fail':
        res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'fake failure' } }));
        return;
      case 'stall':
        return;
      case 'drop-mid-stream':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        reply.chunks.forEach((chunk) => res.write(sseChunk(chunk)));
        setImmediate(() => res.socket?.destroy());
        return;
      case 'raw':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' }).end(reply.body);
        return;
      case 'stall-mid-stream':
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        reply.chunks.forEach((chunk) => res.write(sseChunk(chunk)));
        return;
      case 'stream':
        await reply.hold;
        if (res.destroyed) return;
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        reply.chunks.forEach((chunk) => res.write(sseChunk(chunk)));
        res.end('data: [DONE]\n\n');
    }
  }
}

function sseChunk(content: string): string {
  return `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
}

function parse(raw: string): RecordedCompletion['body'] {
  try {
    return JSON.parse(raw) as RecordedCompletion['body'];
  } catch {
    return {};
  }
}

export { gate } from '@switchboard/testing';
