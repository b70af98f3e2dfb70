// Message throughput: concurrent clients, each sending into its own session as fast as it is answered.
import { randomBytes } from 'node:crypto';
import { benchSeconds, createClient, runLoad, summarize } from './lib.mjs';

export const CLIENTS = 50;
const WARMUP_MS = 1_000;

export const name = 'sessions-send';
export const description = `POST /api/messaging/sessions/:id/messages, ${CLIENTS} clients with an API key, rate limits off`;

/**
 * Seed 004's 60 requests per minute per session would refuse all but a few of the hundreds of
 * sends per second and session this load makes: the bench measures the server, not the limit.
 */
export const serverEnv = { RATE_LIMIT_SESSION_PER_MINUTE: '0', RATE_LIMIT_USER_PER_HOUR: '0', RATE_LIMIT_AGENT_PER_HOUR: '0' };

/**
 * The aims, each judged against its database's ceiling measured in the same run (bench/send-floor
 * for SQLite, bench/pg-floor for PostgreSQL), since this machine's neighbours move absolute figures
 * by up to 2x: the embedded default at least 2,000 sends/s with p99 under 50 ms; PostgreSQL at least
 * half its ceiling with p99 at most 50 ms.
 */
const AIMS = {
  SQLite: { perSecond: 2_000, p99Ms: 50 },
  PostgreSQL: { ofCeiling: 0.5, p99Ms: 50 },
};

/** Shorter runs (CI's smoke run) are mostly warm-up: they prove the bench works, not the figures. */
const AIM_MIN_SECONDS = 10;

/**
 * The aims include the agent's reply: a run whose agent left more sends than this unanswered did
 * less work than its sends/s claim (one turn per channel still running is well under 1%).
 */
const MIN_ANSWERED = 0.95;

/** The lines comparing `summary` on `database` with its `ceiling` (a summary, or null) and its aim. */
export function verdict(database, summary, ceiling) {
  const lines = [];
  const answered = summary.stored ? summary.stored.agent / summary.stored.user : null;
  if (answered !== null) lines.push(`replies  ${summary.stored.agent} stored for ${summary.stored.user} messages sent when the load ended (${(answered * 100).toFixed(0)}% answered)`);
  const ratio = ceiling ? summary.perSecond / ceiling.perSecond : null;
  if (ceiling) lines.push(`ceiling  ${ceiling.perSecond.toFixed(0)}/s, p99 ${ceiling.p99.toFixed(1)} ms: this is ${(ratio * 100).toFixed(0)}% of it, its p99 ${(summary.p99 / ceiling.p99).toFixed(1)}x`);
  const aim = AIMS[database.label];
  if (!aim) return lines;
  const wanted = aim.ofCeiling ? `at least ${aim.ofCeiling * 100}% of the ceiling` : `at least ${aim.perSecond.toLocaleString('en')}/s`;
  const text = `aim      ${wanted} with p99 at most ${aim.p99Ms} ms, replies included`;
  if (benchSeconds() < AIM_MIN_SECONDS) return [...lines, `${text}: not judged on a run shorter than ${AIM_MIN_SECONDS} s`];
  if (aim.ofCeiling && ratio === null) return [...lines, `${text}: not judged without the ceiling`];
  const keptUp = answered === null || answered >= MIN_ANSWERED;
  const met = (aim.ofCeiling ? ratio >= aim.ofCeiling : summary.perSecond >= aim.perSecond) && summary.p99 <= aim.p99Ms && keptUp;
  const why = keptUp ? '' : ` (the agent answered under ${MIN_ANSWERED * 100}% of the sends)`;
  return [...lines, `${text}: ${met ? 'met' : `NOT met${why}`}`];
}

/** The figures of the load on `server`, and the sessions it ran on (for the ceiling's run). */
export async function run(server) {
  const sessions = await createSessions(server.baseUrl, CLIENTS);
  const summary = await sendLoad(server, sessions);
  return { summary: { ...summary, stored: await storedMessages(server.baseUrl) }, sessions };
}

/**
 * The messages the server stored by the time the load ended, users' and agents', from its own
 * metrics. The echo agent answers every message, but a send is acknowledged before its reply:
 * an agent that falls behind leaves turns queued, and the sends/s then leave out replies that
 * were never made. The ratio says how much of the reply work the figures include.
 */
async function storedMessages(baseUrl) {
  const admin = createClient(baseUrl);
  try {
    const response = await admin.request('GET', '/metrics');
    const count = (author) => Number(response.text.match(new RegExp(`^switchboard_messages_stored_total\\{author="${author}"\\} (\\S+)$`, 'm'))?.[1] ?? NaN);
    return { user: count('user'), agent: count('agent') };
  } finally {
    admin.close();
  }
}

/** One client per session, each posting its next message as soon as the last is answered. */
export async function sendLoad({ baseUrl, pid }, { token, sessionIds }) {
  const clients = sessionIds.map(() => createClient(baseUrl, token));
  try {
    const workers = clients.map((client, i) => (iteration) =>
      client.request('POST', `/api/messaging/sessions/${sessionIds[i]}/messages`, { content: `bench message ${iteration}` }),
    );
    return summarize(await runLoad({ workers, warmupMs: WARMUP_MS, durationMs: benchSeconds() * 1000, serverPid: pid }));
  } finally {
    clients.forEach((client) => client.close());
  }
}

/**
 * Sessions with one (echo) agent, and the token to drive them: an API key such as a chat frontend
 * holds (the admin token would skip the key lookup every request makes), which creates the sessions.
 */
export async function createSessions(baseUrl, count) {
  const admin = createClient(baseUrl);
  let frontend;
  try {
    const suffix = randomBytes(4).toString('hex');
    const agent = await admin.expect(201, 'POST', '/api/agents', { name: `bench-agent-${suffix}` });
    const key = await admin.expect(201, 'POST', '/api/auth/keys', { name: `bench-frontend-${suffix}`, scopes: ['sessions:create', 'sessions:read', 'sessions:write'] });
    frontend = createClient(baseUrl, key.token);
    const sessionIds = [];
    for (let i = 0; i < count; i++) {
      const session = await frontend.expect(201, 'POST', '/api/messaging/sessions', { agentId: agent.id, userId: `bench-user-${i}` });
      sessionIds.push(session.sessionId);
    }
    return { token: key.token, sessionIds };
  } finally {
    admin.close();
    frontend?.close();
  }
}
