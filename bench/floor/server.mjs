// The least a send can cost on this machine: bare node:http and better-sqlite3, no framework, no
// auth, no validation, no Socket.IO, running the statements the app runs per send on a database
// the app created (DATABASE_URL=sqlite:<file>, PORT), with the app's group commit: the writes of
// one turn of the event loop share a transaction, and a send is answered after it commits.
// FLOOR_CACHED=1 keeps sessions, participants and agents in memory, leaving the three writes
// (message, activity, reply). Not part of the product.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { serveSends } from './serve-sends.mjs';

const file = process.env.DATABASE_URL.replace(/^sqlite:/, '');
const cached = process.env.FLOOR_CACHED === '1';
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const selectSession = db.prepare('SELECT * FROM sessions WHERE id = ?');
const insertMessage = db.prepare(
  `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, thought, actions, client_message_id, created_at)
   VALUES (?, ?, ?, ?, ?, '[]', '{}', ?, ?, NULL, max(?, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = ?), 0)))
   RETURNING created_at AS createdAt`,
);
const recordActivity = db.prepare(
  'UPDATE sessions SET last_activity = ?, renewal_count = renewal_count + 1, expires_at = ? WHERE id = ? RETURNING expires_at, renewal_count, warned_at',
);
const selectParticipants = db.prepare('SELECT entity_id AS entityId, kind FROM channel_participants WHERE channel_id = ? ORDER BY joined_at');
const selectAgent = db.prepare('SELECT * FROM agents WHERE id = ?');

const memo = (read) => {
  if (!cached) return read;
  const values = new Map();
  return (key) => values.get(key) ?? values.set(key, read(key)).get(key);
};
const session = memo((id) => selectSession.get(id));
const participants = memo((channelId) => selectParticipants.all(channelId));
const agent = memo((id) => selectAgent.get(id));

let queued = [];
const commit = db.transaction((writes) => writes.forEach((write) => write()));
/** Runs `write` in the next group commit; `then` gets its result once that has committed. */
function groupCommit(write, then) {
  if (queued.length === 0) setImmediate(flush);
  let result;
  queued.push({ write: () => (result = write()), then: () => then(result) });
}
function flush() {
  const batch = queued;
  queued = [];
  commit(batch.map((entry) => entry.write));
  batch.forEach((entry) => entry.then());
}

function send(sessionId, content, answer) {
  const s = session(sessionId);
  const now = Date.now();
  const id = randomUUID();
  groupCommit(
    () => insertMessage.get(id, s.channel_id, s.user_id, 0, content, null, null, now, s.channel_id),
    ({ createdAt }) =>
      groupCommit(
        () => recordActivity.get(now, now + s.timeout_minutes * 60_000, sessionId),
        (activity) => {
          answer({ id, content, createdAt: new Date(createdAt).toISOString(), sessionStatus: { expiresAt: new Date(activity.expires_at).toISOString(), renewalCount: activity.renewal_count } });
          const replier = agent(participants(s.channel_id).find((p) => p.kind === 'agent').entityId);
          groupCommit(() => insertMessage.get(randomUUID(), s.channel_id, replier.id, 1, `echo: ${content}`, 'thought', '["REPLY"]', Date.now(), s.channel_id), () => {});
        },
      ),
  );
}

serveSends((sessionId, content) => new Promise((answer) => send(sessionId, content, answer)));
