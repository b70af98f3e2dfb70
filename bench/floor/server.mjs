// The least a send can cost on this machine: bare node:http and better-sqlite3, no framework, no
// auth, no validation, no Socket.IO, running the statements the app runs per send on a database
// the app created (DATABASE_URL=sqlite:<file>, PORT). FLOOR_CACHED=1 keeps sessions, participants
// and agents in memory, leaving the three writes (message, activity, reply). Not part of the product.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Database from 'better-sqlite3';

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

function send(sessionId, content) {
  const s = session(sessionId);
  const now = Date.now();
  const id = randomUUID();
  const { createdAt } = insertMessage.get(id, s.channel_id, s.user_id, 0, content, null, null, now, s.channel_id);
  const activity = recordActivity.get(now, now + s.timeout_minutes * 60_000, sessionId);
  setImmediate(() => {
    const replier = agent(participants(s.channel_id).find((p) => p.kind === 'agent').entityId);
    insertMessage.get(randomUUID(), s.channel_id, replier.id, 1, `echo: ${content}`, 'thought', '["REPLY"]', Date.now(), s.channel_id);
  });
  return { id, content, createdAt: new Date(createdAt).toISOString(), sessionStatus: { expiresAt: new Date(activity.expires_at).toISOString(), renewalCount: activity.renewal_count } };
}

http
  .createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method !== 'POST') return void response.end('ok');
      const sessionId = request.url.split('/')[4];
      const message = send(sessionId, JSON.parse(body).content);
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify(message));
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
