import { Conversation, ConversationOptions, SessionRef } from './conversation.js';
import { SocketConnection, SocketConnectionOptions } from './realtime/socket-connection.js';
import { WsConnection, WsConnectionOptions } from './realtime/ws-connection.js';
import { RestClient, RestClientOptions } from './rest/rest-client.js';

export interface SwitchboardClientOptions extends RestClientOptions {
  /** socket.io-client options (transports, reconnection delays, …) and the ack timeout. */
  socket?: Pick<SocketConnectionOptions, 'io' | 'ackTimeoutMs'>;
}

/**
 * The entry point: typed REST (`rest`), one shared Socket.IO connection (`realtime`), conversations
 * over both, and the `/ws` protocol. In a browser, give it the session's `token`, never an API key.
 */
export class SwitchboardClient {
  readonly rest: RestClient;
  private connection: SocketConnection | undefined;
  private readonly conversations = new Set<Conversation>();

  constructor(private readonly options: SwitchboardClientOptions) {
    this.rest = new RestClient(options);
  }

  /** The Socket.IO connection this client's conversations share; opened on first use. */
  get realtime(): SocketConnection {
    this.connection ??= new SocketConnection({ baseUrl: this.options.baseUrl, token: this.options.token, ...this.options.socket });
    return this.connection;
  }

  /**
   * A session's conversation. A session `token` different from this client's makes the conversation
   * speak with it (REST and its own socket), as a browser handed that token would.
   */
  conversation(session: SessionRef, options: ConversationOptions = {}): Conversation {
    const own = session.token !== undefined && session.token !== this.options.token;
    const rest = own ? this.rest.withToken(session.token!) : this.rest;
    const connection = own ? new SocketConnection({ baseUrl: this.options.baseUrl, token: session.token, ...this.options.socket }) : this.realtime;
    const conversation = new Conversation(rest, connection, session, { ...options, socket: this.options.socket, ownsConnection: own });
    this.conversations.add(conversation);
    return conversation;
  }

  /** Seed 003's `/ws` protocol with this client's token (pass `WebSocket` from `ws` on Node 20). */
  ws(options: Omit<WsConnectionOptions, 'baseUrl' | 'token'> = {}): WsConnection {
    return new WsConnection({ baseUrl: this.options.baseUrl, token: this.options.token, ...options });
  }

  /** Closes every conversation and the shared connection. */
  close(): void {
    this.conversations.forEach((conversation) => conversation.close());
    this.conversations.clear();
    this.connection?.close();
    this.connection = undefined;
  }
}
