// The least a durable send can cost on PostgreSQL on this machine: bare node:http and pg, no
// framework, no auth, no validation, no Socket.IO, no agent reply, on a database the app created
// (DATABASE_URL=postgres://…?schema=name, PORT). One round trip per send: a single statement checks
// the session is live, stores the message after the channel's latest, enqueues its turn and slides
// the expiry, committed on its own before the answer. A pool of ten connections, as the app's.
// Not part of the product.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { serveSends } from './serve-sends.mjs';

const url = new URL(process.env.DATABASE_URL);
const schema = url.searchParams.get('schema');
url.searchParams.delete('schema');
const pool = new pg.Pool({ connectionString: url.toString(), max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });

const SEND = {
  name: 'floor-send',
  text: `WITH s AS (
      SELECT id, channel_id, user_id, timeout_minutes FROM sessions WHERE id = $1 AND expires_at > $3
    ), m AS (
      INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, client_message_id, created_at)
      SELECT $2, s.channel_id, s.user_id, false, $4, '[]', '{}', NULL,
        GREATEST($3, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = s.channel_id), 0))
      FROM s RETURNING id, channel_id, created_at
    ), t AS (
      INSERT INTO agent_turns (message_id, channel_id, session_id, message_created_at, owner, lease_until, attempts)
      SELECT m.id, m.channel_id, $1, m.created_at, NULL, NULL, 0 FROM m RETURNING message_id
    ), a AS (
      UPDATE sessions SET last_activity = $3, renewal_count = renewal_count + 1, expires_at = $3 + timeout_minutes * 60000
      WHERE id = (SELECT id FROM s) RETURNING expires_at, renewal_count
    )
    SELECT m.created_at, a.expires_at, a.renewal_count, (SELECT count(*) FROM t) AS turns FROM m, a`,
};

async function send(sessionId, content) {
  const id = randomUUID();
  const { rows } = await pool.query({ ...SEND, values: [sessionId, id, Date.now(), content] });
  if (rows.length === 0) return null;
  const [row] = rows;
  return {
    id,
    content,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    sessionStatus: { expiresAt: new Date(Number(row.expires_at)).toISOString(), renewalCount: row.renewal_count },
  };
}

serveSends(send);
