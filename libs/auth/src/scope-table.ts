import { Scope } from './scopes';

/**
 * What each scope lets a key do, on every transport: the one table README and Swagger both show
 * (a test keeps README's copy equal to it). "Its own" sessions are the ones the key created;
 * "its" channels the ones it created or is a user participant of (by key id).
 */
export const SCOPE_OPERATIONS: Record<Scope, string> = {
  'sessions:create': 'create sessions (`POST /api/messaging/sessions`); the key owns the sessions it creates and gets each one\'s session token',
  'sessions:read': 'list and read its own sessions and their messages; join their rooms on Socket.IO (`join`) and `/ws` (`join_conversation`, `typing_*`)',
  'sessions:write': 'send to, heartbeat, renew and end (`DELETE`) its own sessions; send into them on Socket.IO (`message`) and `/ws` (`chat`, each chat of a `batch`)',
  'sessions:manage': 'everything the other `sessions:` scopes allow on every session, whoever created it; change a session\'s timeout (`PATCH …/timeout`); read session channels on the channel routes; the `/ws` thought stream',
  'sessions:health': '`GET /api/messaging/sessions/health`',
  'agents:read': 'list and read agents and their commands; `/ws` `status` and `subscribe`',
  'agents:manage': 'create, change and delete agents; `/ws` `command`',
  'messaging:read': 'read its channels and their messages; join their rooms on Socket.IO and `/ws`; also the rooms of its own sessions',
  'messaging:write': 'create channels and post to its channels on every transport (as itself); open a `/ws` conversation with an agent, add agents (`join_conversation`), hand off (`agent_handoff`); also send into its own sessions',
  'messaging:manage': 'use every group channel, whoever created it (with `messaging:read`/`messaging:write` for the operations)',
  'metrics:read': '`GET /metrics`: the instance\'s Prometheus metrics',
  admin: 'every scope; manage API keys (`/api/auth/keys`); speak as any entity on channels and sockets; receive `logEntry` on Socket.IO',
};

/** A session token, in place of a key, acts as a key holding `sessions:read` and `sessions:write` on its one session. */
export const SESSION_TOKEN_OPERATIONS = 'what `sessions:read` and `sessions:write` allow, on its own session only, on every transport';

/** The table as Markdown: `| Scope | Allows |`. */
export function scopeTableMarkdown(): string {
  const rows = Object.entries(SCOPE_OPERATIONS).map(([scope, operations]) => `| \`${scope}\` | ${operations} |`);
  return ['| Scope | Allows |', '| --- | --- |', ...rows, `| session token | ${SESSION_TOKEN_OPERATIONS} |`].join('\n');
}
