import { errorEnvelopeSchema, JsonSchema, SOCKET_CLIENT_EVENTS, SOCKET_SERVER_EVENTS, WS_CLIENT_FRAMES, WS_SERVER_FRAMES } from '@switchboard/client';

/** The path the AsyncAPI document is served at, openly, like /api/docs-json. */
export const ASYNCAPI_PATH = 'api/asyncapi.json';

interface EventSpec {
  summary: string;
  payload: JsonSchema;
}

const ref = (path: string) => ({ $ref: `#/${path}` });

/** `{ok: true, …result}` or `{ok: false, …error envelope}`. */
function ackSchema(result: JsonSchema): JsonSchema {
  return {
    anyOf: [
      { allOf: [{ type: 'object', properties: { ok: { const: true } }, required: ['ok'] }, result] },
      { allOf: [{ type: 'object', properties: { ok: { const: false } }, required: ['ok'] }, errorEnvelopeSchema] },
    ],
  };
}

/** A `/ws` frame: seed 003's envelope with `type` fixed and `data` of this type's shape. */
function wsEnvelope(type: string, data: JsonSchema, direction: 'client' | 'server'): JsonSchema {
  const common = {
    id: { anyOf: [{ type: 'string' }, { type: 'number' }], description: direction === 'server' ? "The request's id, when this answers one" : 'Echoed in the answer' },
    type: { const: type },
    data,
    timestamp: { type: 'string', format: 'date-time' },
  };
  if (direction === 'server') return { type: 'object', properties: common, required: ['type', 'data', 'timestamp'] };
  return {
    type: 'object',
    properties: {
      ...common,
      targetAgent: { type: 'string', description: 'An agent id or name' },
      priority: { type: 'string', enum: ['low', 'normal', 'high'] },
      conversationId: { type: 'string', description: 'typing_start/typing_stop may carry it here, as the seed does' },
    },
    required: ['type'],
  };
}

/**
 * AsyncAPI 3 for both realtime endpoints, built from the event catalogues in @switchboard/client —
 * the same ones the gateways are compiled against — so it lists exactly what they speak.
 */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const socketMessages: Record<string, unknown> = {};
  const wsMessages: Record<string, unknown> = {};

  const add = (channel: 'socketio' | 'ws', registry: Record<string, unknown>, key: string, name: string, spec: { summary: string }, payload: JsonSchema) => {
    messages[key] = { name, title: name, summary: spec.summary, contentType: 'application/json', payload };
    registry[key] = ref(`components/messages/${key}`);
    return ref(`channels/${channel}/messages/${key}`);
  };

  for (const [event, spec] of Object.entries(SOCKET_SERVER_EVENTS) as Array<[string, EventSpec]>) {
    const message = add('socketio', socketMessages, `socketio.server.${event}`, event, spec, spec.payload);
    operations[`socketio.send.${event}`] = { action: 'send', channel: ref('channels/socketio'), summary: spec.summary, messages: [message] };
  }
  for (const [event, spec] of Object.entries(SOCKET_CLIENT_EVENTS) as Array<[string, EventSpec & { ack: JsonSchema }]>) {
    const message = add('socketio', socketMessages, `socketio.client.${event}`, event, spec, spec.payload);
    const ack = add('socketio', socketMessages, `socketio.client.${event}.ack`, `${event} ack`, { summary: `The ack of ${event}: ok with its result, or the error envelope` }, ackSchema(spec.ack));
    operations[`socketio.receive.${event}`] = {
      action: 'receive',
      channel: ref('channels/socketio'),
      summary: spec.summary,
      messages: [message],
      reply: { channel: ref('channels/socketio'), messages: [ack] },
    };
  }
  for (const [type, spec] of Object.entries(WS_SERVER_FRAMES) as Array<[string, { summary: string; data: JsonSchema }]>) {
    const message = add('ws', wsMessages, `ws.server.${type}`, type, spec, wsEnvelope(type, spec.data, 'server'));
    operations[`ws.send.${type}`] = { action: 'send', channel: ref('channels/ws'), summary: spec.summary, messages: [message] };
  }
  for (const [type, spec] of Object.entries(WS_CLIENT_FRAMES) as Array<[string, { summary: string; data: JsonSchema }]>) {
    const message = add('ws', wsMessages, `ws.client.${type}`, type, spec, wsEnvelope(type, spec.data, 'client'));
    operations[`ws.receive.${type}`] = { action: 'receive', channel: ref('channels/ws'), summary: spec.summary, messages: [message] };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard realtime',
      version: '1.0.0',
      description:
        'The realtime side of Switchboard: Socket.IO at /socket.io/ and seed 003\'s JSON protocol at /ws, on the HTTP port. ' +
        'Both authenticate at the handshake with the same tokens as REST (an API key, or a session token for that session only). ' +
        'A refused Socket.IO handshake fails with connect_error whose data is the error envelope; a refused /ws upgrade gets an error frame ' +
        '(code UNAUTHORIZED) and is closed. Every Socket.IO emit may carry an ack callback and is answered {ok: true, …} or {ok: false, …envelope}; ' +
        'an emit without an ack that fails gets an error event instead. @switchboard/client speaks all of this, typed.',
    },
    defaultContentType: 'application/json',
    servers: {
      socketio: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO 4 (the websocket or polling transport); pass the token as auth.token or an Authorization header',
        security: [ref('components/securitySchemes/bearer')],
      },
      ws: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/ws',
        description: 'A plain WebSocket; the token goes in the Authorization header, or ?token= where a browser has no other way',
        security: [ref('components/securitySchemes/bearer'), ref('components/securitySchemes/queryToken')],
      },
    },
    channels: {
      socketio: { address: '/socket.io/', title: 'Socket.IO', servers: [ref('servers/socketio')], messages: socketMessages },
      ws: { address: '/ws', title: 'Plain WebSocket (seed 003)', servers: [ref('servers/ws')], messages: wsMessages },
    },
    operations,
    components: {
      messages,
      schemas: { ErrorEnvelope: errorEnvelopeSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key or session token> (X-API-KEY: <token> works too); Socket.IO clients may pass it as the handshake auth instead: io(url, { auth: { token } })' },
        queryToken: { type: 'httpApiKey', in: 'query', name: 'token', description: '/ws only: ?token=<token>, for browsers' },
      },
    },
  };
}
