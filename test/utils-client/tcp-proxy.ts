import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy on loopback with a fixed port, in front of an app whose port may change (a restart).
 * `cut()` drops every connection and refuses new ones until `forwardTo()` names a target again —
 * a network failure the test controls, with no timing involved.
 */
export class TcpProxy {
  private target: number | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((incoming) => proxy!.accept(incoming));
    proxy = new TcpProxy(server);
    proxy.target = targetPort;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('The proxy is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Drops every connection; new ones are refused until forwardTo(). */
  cut(): void {
    this.target = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  forwardTo(port: number): void {
    this.target = port;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(incoming: Socket): void {
    if (this.target === undefined) {
      incoming.destroy();
      return;
    }
    const outgoing = connect(this.target, '127.0.0.1');
    for (const socket of [incoming, outgoing]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        incoming.destroy();
        outgoing.destroy();
      });
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  }
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
