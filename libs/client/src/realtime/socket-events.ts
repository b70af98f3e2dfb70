import { S, Schema, Static } from '../schema.js';

/** The typed envelope of seeds 000/002: `emit('message', { type, payload })`. */
export const SOCKET_MESSAGE_TYPE = { ROOM_JOINING: 1, SEND_MESSAGE: 2, MESSAGE: 3, ACK: 4, THINKING: 5, CONTROL: 6 } as const;

const roomFields = S.object(
  { roomId: S.uuid({ description: 'The session id for a session room, else the channel id' }), channelId: S.uuid() },
  { sessionId: S.uuid() },
);
const room = <R>(fields: Schema<R>) => S.merge(roomFields, fields);

export const errorEnvelopeSchema = S.object(
  {
    error: S.string({ description: 'The error class, e.g. SessionExpiredError' }),
    code: S.string({ description: 'The machine code, e.g. SESSION_EXPIRED' }),
    message: S.string(),
    details: S.record(),
  },
  {},
  { description: 'The error envelope every failure answers with, over HTTP and sockets alike' },
);

const attachment = S.object({ type: S.string(), url: S.string() }, { name: S.string() });

const messageBroadcast = room(
  S.object(
    {
    id: S.uuid(),
    messageId: S.uuid(),
    clientMessageId: S.nullable(S.string()),
    senderId: S.string(),
    senderName: S.string(),
    text: S.string(),
    isAgent: S.boolean(),
    createdAt: S.dateTime(),
    timestamp: S.dateTime({ description: 'createdAt again, as seed 002 names it' }),
    serverId: S.string({ description: 'The deployment that sent it (SERVER_ID)' }),
    source: S.string(),
    thought: S.nullable(S.string()),
    actions: S.array(S.string()),
    attachments: S.array(attachment),
    metadata: S.record(),
    },
    { replayed: S.boolean({ description: 'Sent again on a rejoin with lastMessageId' }) },
  ),
);

const presence = room(S.object({ entityId: S.string(), userId: S.string(), socketId: S.string() }));

const participants = S.array(S.object({ entityId: S.string(), kind: S.enum(['user', 'agent']) }));
const worldState = S.object({
  agents: S.record({ description: 'By agent id: { id, name, status }' }),
  users: S.record({ description: 'By user id: { id, userId, rooms }' }),
  channels: S.record({ description: 'By channel id: { id, roomId, channelId, name, type, participants, createdAt }' }),
  messages: S.record({ description: 'By channel id: its latest messages, oldest first, shaped as messageBroadcast' }),
  socketId: S.string(),
  entityId: S.string(),
  rooms: S.array(room(S.object({ participants }))),
  serverId: S.string(),
  serverTime: S.dateTime(),
});

/** The typed envelope's ACK, THINKING and CONTROL, as the server relays or sends them. */
const signalPayload = room(
  S.object(
    {},
    {
      agentId: S.string(),
      inReplyTo: S.uuid(),
      thinking: S.boolean(),
      action: S.enum(['disable_input', 'enable_input']),
      entityId: S.string(),
      userId: S.string(),
      messageId: S.string(),
      data: S.record(),
      id: S.uuid(),
      createdAt: S.dateTime(),
      timestamp: S.dateTime(),
      duplicate: S.boolean(),
    },
  ),
);

/** Everything the server emits, by event name, with its payload's schema. */
export const SOCKET_SERVER_EVENTS = {
  connection_established: {
    summary: 'The handshake was accepted; sent first on every connection',
    payload: S.object({ socketId: S.string(), entityId: S.string(), tokenKind: S.enum(['api-key', 'session']), recovered: S.boolean(), serverId: S.string(), serverTime: S.dateTime() }),
  },
  messageBroadcast: { summary: 'A message stored in a room the socket joined (a user message or an agent reply)', payload: messageBroadcast },
  messageComplete: {
    summary: "An agent's turn ended: with its reply (success) or after an error event",
    payload: room(S.object({ serverId: S.string(), agentId: S.string(), inReplyTo: S.uuid(), messageId: S.nullable(S.uuid()), success: S.boolean() })),
  },
  controlMessage: {
    summary: "Disable the input while an agent answers, enable it again after (agentId); or a client's CONTROL relayed (entityId)",
    payload: S.union([
      room(S.object({ action: S.enum(['disable_input', 'enable_input']) }, { agentId: S.string(), entityId: S.string(), userId: S.string(), messageId: S.string(), data: S.record() })),
      S.object({ action: S.literal('reconnect'), reason: S.string({ description: 'server-shutdown: this instance is draining; connect again (another instance answers)' }) }),
    ]),
  },
  message: {
    summary: 'The typed envelope: THINKING (5) and CONTROL (6) while an agent answers, ACK (4) after a typed send, and the ACK/THINKING/CONTROL other clients send',
    payload: S.object({ type: S.integer({ minimum: 1, maximum: 6, description: 'SOCKET_MESSAGE_TYPE' }), payload: signalPayload }),
  },
  userJoined: { summary: 'Someone joined the room', payload: presence },
  userLeft: { summary: 'Someone left the room or disconnected', payload: presence },
  userTyping: { summary: 'Someone else in the room started or stopped typing', payload: room(S.object({ entityId: S.string(), userId: S.string(), isTyping: S.boolean() })) },
  agent_handoff: {
    summary: 'The conversation was handed from one agent to another',
    payload: room(S.object({ fromAgent: S.string(), toAgent: S.string(), reason: S.nullable(S.string()) })),
  },
  'world-state': { summary: "The answer to request-world-state (seed 001's shape): agents, users, channels and latest messages of the rooms", payload: worldState },
  logEntry: {
    summary: 'A server log line (seed 001: pino level number, time, msg); only sockets opened with an admin key receive these',
    payload: S.object(
      { level: S.integer(), time: S.integer({ description: 'epoch ms' }), msg: S.string(), agentId: S.nullable(S.string()), agentName: S.nullable(S.string()), levelName: S.string(), message: S.string(), timestamp: S.dateTime() },
      { context: S.string() },
    ),
  },
  error: {
    summary: "An emit without an ack callback failed, or an agent's reply failed (AgentReplyError, details name the room)",
    payload: S.merge(errorEnvelopeSchema, S.object({}, { ok: S.literal(false) })),
  },
  sessionRenewed: { summary: "The session's expiry moved (renew, heartbeat or a message with autoRenew)", payload: S.object({ sessionId: S.uuid(), expiresAt: S.dateTime(), renewalCount: S.integer() }) },
  sessionExpirationWarning: {
    summary: 'The session entered its warning window; sent once, and again only after a renewal',
    payload: S.object({ sessionId: S.uuid(), minutesRemaining: S.integer(), expiresAt: S.dateTime() }),
  },
  sessionExpired: { summary: 'The session expired: its token and routes stop working (410)', payload: S.object({ sessionId: S.uuid(), expiredAt: S.dateTime() }) },
} as const;

const joinPayload = S.object(
  {},
  {
    roomId: S.uuid({ description: 'A session id or a channel id' }),
    sessionId: S.uuid(),
    channelId: S.uuid(),
    entityId: S.string(),
    lastMessageId: S.uuid({ description: 'Resume: replay what the room got after this message' }),
    lastTimestamp: S.union([S.integer(), S.dateTime()], { description: 'Resume: replay what the room got after this timestamp (epoch ms or ISO 8601)' }),
  },
);
const joined = room(S.object({ replayed: S.integer({ description: 'How many missed messages were sent again as messageBroadcast' }) }));

const sendFields = {
  messageId: S.uuid({ description: 'A client id: a retry with the same id returns the stored message instead of storing it twice' }),
  senderId: S.string(),
  senderName: S.string(),
  userId: S.string({ description: 'Seed 002 spelling of senderId' }),
  name: S.string({ description: 'Seed 002 spelling of senderName' }),
  source: S.string(),
  attachments: S.array(attachment),
  metadata: S.record(),
};
const namedSend = S.object({ text: S.string({ minLength: 1, maxLength: 10_000 }), roomId: S.uuid() }, sendFields);
const typedSend = S.object({
  type: S.literal(SOCKET_MESSAGE_TYPE.SEND_MESSAGE),
  payload: S.object({ roomId: S.uuid() }, { ...sendFields, message: S.string({ minLength: 1, maxLength: 10_000 }), text: S.string() }),
});
const typedMessage = S.object({
  type: S.literal(SOCKET_MESSAGE_TYPE.MESSAGE),
  payload: S.object({ roomId: S.uuid() }, { ...sendFields, message: S.string({ minLength: 1, maxLength: 10_000 }), text: S.string() }),
});
const typedJoin = S.object({ type: S.literal(SOCKET_MESSAGE_TYPE.ROOM_JOINING), payload: joinPayload });
const typedSignal = S.object({
  type: S.union([S.literal(SOCKET_MESSAGE_TYPE.ACK), S.literal(SOCKET_MESSAGE_TYPE.THINKING), S.literal(SOCKET_MESSAGE_TYPE.CONTROL)]),
  payload: S.object(
    { roomId: S.string() },
    { messageId: S.uuid(), entityId: S.string(), thinking: S.boolean(), action: S.enum(['enable_input', 'disable_input']), data: S.record() },
  ),
});
const sent = room(
  S.object({ id: S.uuid(), messageId: S.uuid(), createdAt: S.dateTime(), timestamp: S.dateTime(), duplicate: S.boolean({ description: 'true when messageId had been stored already' }) }),
);
const signalled = room(S.object({ type: S.integer() }));

/** Everything a client may emit, with its payload's schema and the ack's. */
export const SOCKET_CLIENT_EVENTS = {
  join: { summary: 'Join a room (a session or channel) to receive its events; with lastMessageId, get what was missed', payload: joinPayload, ack: joined },
  leave: { summary: 'Leave a room', payload: S.object({ roomId: S.uuid() }), ack: roomFields },
  message: {
    summary: 'Send a message: the named style {text, roomId} or the typed envelope {type: 2 or 3, payload}; {type: 1} joins; {type: 4, 5 or 6} is relayed to the room',
    payload: S.union([namedSend, typedSend, typedMessage, typedJoin, typedSignal]),
    ack: S.union([sent, joined, signalled]),
  },
  typing: { summary: 'Tell the room this user is (or stopped) typing', payload: S.object({ roomId: S.uuid() }, { isTyping: S.boolean() }), ack: roomFields },
  'request-world-state': {
    summary: 'Ask for the state of one room (roomId, read access) or of every room this socket is in; answered in the ack and as world-state',
    payload: S.object({}, { roomId: S.string() }),
    ack: worldState,
  },
} as const;

export type SocketServerEvent = keyof typeof SOCKET_SERVER_EVENTS;
export type SocketClientEvent = keyof typeof SOCKET_CLIENT_EVENTS;

export type ServerEventPayload<E extends SocketServerEvent> = Static<(typeof SOCKET_SERVER_EVENTS)[E]['payload']>;
export type ClientEventPayload<E extends SocketClientEvent> = Static<(typeof SOCKET_CLIENT_EVENTS)[E]['payload']>;
export type ClientEventResult<E extends SocketClientEvent> = Static<(typeof SOCKET_CLIENT_EVENTS)[E]['ack']>;

export type ErrorEnvelope = Static<typeof errorEnvelopeSchema>;
/** What every emit with an ack callback is answered: `{ok: true, …result}` or `{ok: false, …envelope}`. */
export type Ack<R> = ({ ok: true } & R) | ({ ok: false } & ErrorEnvelope);

export type ServerToClientEvents = { [E in SocketServerEvent]: (payload: ServerEventPayload<E>) => void };
export type ClientToServerEvents = { [E in SocketClientEvent]: (payload: ClientEventPayload<E>, ack: (response: Ack<ClientEventResult<E>>) => void) => void };

export type RoomFields = Static<typeof roomFields>;
export type MessageBroadcast = ServerEventPayload<'messageBroadcast'>;
export type MessageComplete = ServerEventPayload<'messageComplete'>;
export type ControlMessage = ServerEventPayload<'controlMessage'>;
export type Presence = ServerEventPayload<'userJoined'>;
export type UserTyping = ServerEventPayload<'userTyping'>;
export type WorldState = ServerEventPayload<'world-state'>;
export type SessionRenewed = ServerEventPayload<'sessionRenewed'>;
export type SessionExpirationWarning = ServerEventPayload<'sessionExpirationWarning'>;
export type SessionExpired = ServerEventPayload<'sessionExpired'>;
export type JoinPayload = ClientEventPayload<'join'>;
export type JoinResult = ClientEventResult<'join'>;
export type SendResult = Static<typeof sent>;
export type SignalResult = Static<typeof signalled>;
export type LogEntry = ServerEventPayload<'logEntry'>;
