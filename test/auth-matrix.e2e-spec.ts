import { randomUUID } from 'node:crypto';
import { Scope, SCOPES } from '@switchboard/auth';
import { admin, bearer, createAgent, createApiKey, createSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { apiKeyHeader, expectAuthError, expectError, keyRing, unknownKeyToken, unknownSessionToken } from './utils-auth/auth-helpers';
import { listControllerRoutes, routeKey } from './utils-auth/routes';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Params = Record<string, string>;
type Headers = Record<string, string>;

interface RouteRow {
  method: Method;
  path: string;
  /** The one scope the route declares; null for the open probes. */
  scope: Scope | null;
  /** Whether the token of a session may call the route on that session. */
  sessionToken: boolean;
  /** What a caller that may act gets on a live target. */
  status: number;
  body?: () => Promise<object> | object;
  /** A live target the caller (authenticated by `caller`) may act on; random ids when absent. */
  target?: (caller: Headers) => Promise<Params>;
  /** Scopes besides `scope` the caller needs to make its own target (it creates the session or channel it then uses). */
  alsoNeeds?: Scope[];
  /** A live target that another key created: the caller may not know it exists. */
  othersTarget?: () => Promise<Params>;
  /** The error class answered for a well-formed id that names nothing. */
  missing?: string;
}

let t: TestApp;
const keyWith = keyRing(() => t);
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

const anAgent = async (): Promise<Params> => ({ agentId: (await createAgent(t)).id });
const aKey = async (): Promise<Params> => ({ keyId: (await createApiKey(t, ['agents:read'])).id });
const aSession = async (): Promise<Params> => ({ sessionId: (await createSession(t)).sessionId });
const ownSession = async (caller: Headers): Promise<Params> => ({ sessionId: (await createSession(t, {}, caller)).sessionId });
const ownChannel = async (caller: Headers): Promise<Params> => ({ channelId: (await http(t).post('/api/channels').set(caller).send({ name: unique('room') }).expect(201)).body.id });
const othersSession = async (): Promise<Params> => ownSession(bearer((await createApiKey(t, ['sessions:create'], unique('other'))).token));
const othersChannel = async (): Promise<Params> => ownChannel(bearer((await createApiKey(t, ['messaging:write'], unique('other'))).token));
const ownTarget = { alsoNeeds: ['sessions:create'] as Scope[], target: ownSession, othersTarget: othersSession };
const ownChannelTarget = (scope: Scope) => ({ alsoNeeds: scope === 'messaging:write' ? [] : ['messaging:write'] as Scope[], target: ownChannel, othersTarget: othersChannel });

const SESSION = '/api/messaging/sessions/:sessionId';

const ROUTES: RouteRow[] = [
  { method: 'GET', path: '/livez', scope: null, sessionToken: false, status: 200 },
  { method: 'GET', path: '/readyz', scope: null, sessionToken: false, status: 200 },
  { method: 'GET', path: '/api/asyncapi.json', scope: null, sessionToken: false, status: 200 },
  { method: 'GET', path: '/metrics', scope: 'metrics:read', sessionToken: false, status: 200 },

  { method: 'POST', path: '/api/auth/keys', scope: 'admin', sessionToken: false, status: 201, body: () => ({ name: unique('matrix'), scopes: ['agents:read'] }) },
  { method: 'GET', path: '/api/auth/keys', scope: 'admin', sessionToken: false, status: 200 },
  { method: 'DELETE', path: '/api/auth/keys/:keyId', scope: 'admin', sessionToken: false, status: 200, target: aKey, missing: 'NotFoundError' },

  { method: 'POST', path: '/api/agents', scope: 'agents:manage', sessionToken: false, status: 201, body: () => ({ name: unique('matrix-agent') }) },
  { method: 'GET', path: '/api/agents', scope: 'agents:read', sessionToken: false, status: 200 },
  { method: 'GET', path: '/api/agents/:agentId', scope: 'agents:read', sessionToken: false, status: 200, target: anAgent, missing: 'AgentNotFoundError' },
  {
    method: 'PATCH',
    path: '/api/agents/:agentId',
    scope: 'agents:manage',
    sessionToken: false,
    status: 200,
    body: () => ({ name: unique('matrix-renamed') }),
    target: anAgent,
    missing: 'AgentNotFoundError',
  },
  { method: 'DELETE', path: '/api/agents/:agentId', scope: 'agents:manage', sessionToken: false, status: 200, target: anAgent, missing: 'AgentNotFoundError' },
  { method: 'GET', path: '/api/agents/:agentId/commands', scope: 'agents:read', sessionToken: false, status: 200, target: anAgent, missing: 'AgentNotFoundError' },
  // Commands are only made over /ws, so the live target is a real agent and a command id it does not have.
  { method: 'GET', path: '/api/agents/:agentId/commands/:commandId', scope: 'agents:read', sessionToken: false, status: 404, target: anAgent, missing: 'NotFoundError' },

  { method: 'GET', path: '/api/messaging/sessions/health', scope: 'sessions:health', sessionToken: false, status: 200 },
  { method: 'POST', path: '/api/messaging/sessions', scope: 'sessions:create', sessionToken: false, status: 201, body: async () => ({ userId: 'user-1', agentId: (await anAgent()).agentId }) },
  { method: 'GET', path: '/api/messaging/sessions', scope: 'sessions:read', sessionToken: false, status: 200 },
  { method: 'GET', path: SESSION, scope: 'sessions:read', sessionToken: true, status: 200, ...ownTarget, missing: 'SessionNotFoundError' },
  { method: 'DELETE', path: SESSION, scope: 'sessions:write', sessionToken: true, status: 200, ...ownTarget, missing: 'SessionNotFoundError' },
  {
    method: 'POST',
    path: `${SESSION}/messages`,
    scope: 'sessions:write',
    sessionToken: true,
    status: 201,
    body: () => ({ content: 'hello' }),
    ...ownTarget,
    missing: 'SessionNotFoundError',
  },
  {
    method: 'GET',
    path: `${SESSION}/messages`,
    scope: 'sessions:read',
    sessionToken: true,
    status: 200,
    ...ownTarget,
    missing: 'SessionNotFoundError',
  },
  { method: 'POST', path: `${SESSION}/renew`, scope: 'sessions:write', sessionToken: true, status: 200, ...ownTarget, missing: 'SessionNotFoundError' },
  {
    method: 'PATCH',
    path: `${SESSION}/timeout`,
    scope: 'sessions:manage',
    sessionToken: false,
    status: 200,
    body: () => ({ timeoutMinutes: 60 }),
    target: aSession,
    missing: 'SessionNotFoundError',
  },
  {
    method: 'POST',
    path: `${SESSION}/heartbeat`,
    scope: 'sessions:write',
    sessionToken: true,
    status: 200,
    ...ownTarget,
    missing: 'SessionNotFoundError',
  },

  { method: 'POST', path: '/api/channels', scope: 'messaging:write', sessionToken: false, status: 201, body: () => ({ name: unique('room') }) },
  { method: 'GET', path: '/api/channels/:channelId', scope: 'messaging:read', sessionToken: false, status: 200, ...ownChannelTarget('messaging:read'), missing: 'ChannelNotFoundError' },
  {
    method: 'GET',
    path: '/api/messaging/channels/:channelId/messages',
    scope: 'messaging:read',
    sessionToken: false,
    status: 200,
    ...ownChannelTarget('messaging:read'),
    missing: 'ChannelNotFoundError',
  },
  {
    method: 'POST',
    path: '/api/messaging/channels/:channelId/messages',
    scope: 'messaging:write',
    sessionToken: false,
    status: 201,
    body: () => ({ text: 'hello' }),
    ...ownChannelTarget('messaging:write'),
    missing: 'ChannelNotFoundError',
  },
];

const OPEN = ROUTES.filter((row) => row.scope === null);
const PROTECTED = ROUTES.filter((row): row is RouteRow & { scope: Scope } => row.scope !== null);

/** Calls the row's route; path parameters not given are fresh random UUIDs (they name nothing). */
async function callRoute(row: RouteRow, headers: Headers, params: Params = {}) {
  const path = row.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? randomUUID());
  const request = http(t)[row.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path).set(headers);
  return row.body ? request.send(await row.body()) : request;
}

const callerScopes = (row: RouteRow & { scope: Scope }): Scope[] => [row.scope, ...(row.alsoNeeds ?? [])];
const everyScopeBut = (scope: Scope): Scope[] => SCOPES.filter((held) => held !== scope && held !== 'admin');
const paramsOf = (row: RouteRow): string[] => [...row.path.matchAll(/:(\w+)/g)].map((match) => match[1]);

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('the route table', () => {
  it('has exactly one row per route the app registers, with the scope that route declares', () => {
    const registered = listControllerRoutes(t.app).map((route) => ({
      route: routeKey(route),
      scopes: route.requirement?.public ? null : (route.requirement?.scopes ?? 'undeclared'),
    }));
    const table = ROUTES.map((row) => ({ route: `${row.method} ${row.path}`, scopes: row.scope === null ? null : [row.scope] }));
    const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route);

    expect(table.sort(byRoute)).toEqual(registered.sort(byRoute));
  });
});

for (const row of OPEN) {
  describe(`${row.method} ${row.path} (open)`, () => {
    it(`${row.status} without a token`, async () => {
      expect((await callRoute(row, {})).status).toBe(row.status);
    });

    it(`${row.status} whatever token comes with the request`, async () => {
      expect((await callRoute(row, bearer(unknownKeyToken()))).status).toBe(row.status);
    });
  });
}

for (const row of PROTECTED) {
  describe(`${row.method} ${row.path} (needs ${row.scope})`, () => {
    const target = (caller: Headers) => (row.target ? row.target(caller) : Promise.resolve({}));
    const { missing, alsoNeeds } = row;

    it('401 without a token', async () => {
      expectAuthError(await callRoute(row, {}), 401);
    });

    it('401 for an API key or a session token the app never issued, without echoing it', async () => {
      const [keyToken, sessionToken] = [unknownKeyToken(), unknownSessionToken()];

      const [asKey, asSessionToken] = [await callRoute(row, bearer(keyToken)), await callRoute(row, bearer(sessionToken))];

      expectAuthError(asKey, 401);
      expectAuthError(asSessionToken, 401);
      expect(asKey.text).not.toContain(keyToken);
      expect(asSessionToken.text).not.toContain(sessionToken);
    });

    it('401 for an unknown token sent as X-API-KEY', async () => {
      expectAuthError(await callRoute(row, apiKeyHeader(unknownKeyToken())), 401);
    });

    if (paramsOf(row).length > 0) {
      it('401 without a token even for a malformed id: authentication comes before validation', async () => {
        const params = Object.fromEntries(paramsOf(row).map((name) => [name, 'not-a-uuid']));

        expectAuthError(await callRoute(row, {}, params), 401);
      });
    }

    it(`403 to a key holding every scope but ${row.scope === 'admin' ? 'admin' : `${row.scope} and admin`}`, async () => {
      const key = await keyWith(everyScopeBut(row.scope));

      expectAuthError(await callRoute(row, bearer(key)), 403);
    });

    if (!alsoNeeds?.length) {
      it(`${row.status} to a key holding exactly ${row.scope}`, async () => {
        const caller = bearer(await keyWith([row.scope]));

        expect((await callRoute(row, caller, await target(caller))).status).toBe(row.status);
      });
    }

    if (missing) {
      it(`404 ${missing} to a key holding exactly ${row.scope}, for an id that names nothing`, async () => {
        const caller = bearer(await keyWith([row.scope]));

        expectError(await callRoute(row, caller), 404, missing);
      });
    }

    if (alsoNeeds?.length) {
      it(`${row.status} to a key holding ${row.scope} (and ${alsoNeeds.join(', ')}), on what it created`, async () => {
        const caller = bearer(await keyWith(callerScopes(row)));

        expect((await callRoute(row, caller, await target(caller))).status).toBe(row.status);
      });
    }

    if (row.othersTarget && missing) {
      it(`404 ${missing} to a key holding ${callerScopes(row).join(', ')}, on what another key created: as if it did not exist`, async () => {
        const caller = bearer(await keyWith(callerScopes(row)));

        expectError(await callRoute(row, caller, await row.othersTarget!()), 404, missing);
      });
    }

    it(`${row.status} to a key holding ${callerScopes(row).join(', ')} sent as X-API-KEY instead of Bearer`, async () => {
      const caller = apiKeyHeader(await keyWith(callerScopes(row)));

      expect((await callRoute(row, caller, await target(caller))).status).toBe(row.status);
    });

    if (row.path.includes(':sessionId')) {
      it(row.sessionToken ? `${row.status} to the token of this session` : '403 to the token of this session', async () => {
        const session = await createSession(t);

        const response = await callRoute(row, bearer(session.token), { sessionId: session.sessionId });

        if (row.sessionToken) expect(response.status).toBe(row.status);
        else expectAuthError(response, 403);
      });

      it('403 to the token of another session', async () => {
        const [session, other] = [await createSession(t), await createSession(t)];

        expectAuthError(await callRoute(row, bearer(other.token), { sessionId: session.sessionId }), 403);
      });
    } else {
      it('403 to a session token', async () => {
        const session = await createSession(t);

        expectAuthError(await callRoute(row, bearer(session.token), await target(admin)), 403);
      });
    }
  });
}
