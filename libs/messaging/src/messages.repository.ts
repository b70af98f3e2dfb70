import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation, sql, SqlExecutor, SqlStatement, Statement } from '@switchboard/persistence';
import { MessageEntity } from './message.entity';
import { MessageWindow, scanOrder } from './message-cursor';

const MAX_APPEND_ATTEMPTS = 8;

export interface AppendResult {
  message: MessageEntity;
  /** False when `clientMessageId` matched a message already stored: nothing new was written. */
  created: boolean;
  /** The rows of the statements written with the message, in their order (none when not created). */
  writtenWith: unknown[][];
}

/** A message as its insert binds it: the JSON columns as their text. */
type StoredMessage = Omit<MessageEntity, 'attachments' | 'metadata' | 'actions'> & Record<'attachments' | 'metadata', string> & { actions: string | null };

/**
 * The insert computes `createdAt` as max(the draft's, channel's latest + 1) itself, so storing a
 * message is one statement.
 */
const INSERT_MESSAGE = `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, thought, actions, client_message_id, in_reply_to, created_at)
   SELECT :id, :channelId, :authorId, :isAgent, :content, :attachments, :metadata, :thought, :actions, :clientMessageId, :inReplyTo,
     GREATEST(:createdAt, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = :channelId), 0))`;

const RETURNING_CREATED_AT = 'RETURNING created_at AS "createdAt"';

const INSERT_AFTER_LATEST = sql<StoredMessage, { createdAt: string | number }>(`${INSERT_MESSAGE} ${RETURNING_CREATED_AT}`);

/** The same insert, made only while the session is live: a send checks its session in the statement that stores it. */
const INSERT_INTO_LIVE_SESSION = sql<StoredMessage & { sessionId: string; now: number }, { createdAt: string | number }>(
  `${INSERT_MESSAGE} WHERE EXISTS (SELECT 1 FROM sessions WHERE id = :sessionId AND status = 'active' AND expires_at > :now) ${RETURNING_CREATED_AT}`,
);

/** A message that was to be stored only while its session is live found it ended, expired or gone: nothing was written. */
export class SessionNotLiveError extends Error {
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} is not live`);
  }
}

/** Where a message must not be stored unless its session is live at the moment of the write. */
export interface SessionGuard {
  sessionId: string;
  now: number;
}

const FIND_IN_CHANNEL = sql<{ channelId: string; id: string }>('SELECT * FROM messages WHERE id = :id AND channel_id = :channelId');

const FIND_REPLIES = sql<{ messageId: string }>('SELECT * FROM messages WHERE in_reply_to = :messageId ORDER BY created_at');

type WindowParams = { channelId: string; limit: number } & Pick<MessageWindow, 'before' | 'after'>;

/** A window of one shape (which bounds it has), read in the order scanOrder gives that shape. */
function windowStatement(bounds: Pick<MessageWindow, 'before' | 'after'>): SqlStatement<WindowParams, Record<string, unknown>> {
  const conditions = ['channel_id = :channelId'];
  if (bounds.before !== undefined) conditions.push('created_at < :before');
  if (bounds.after !== undefined) conditions.push('created_at > :after');
  const direction = scanOrder({ limit: 0, ...bounds }) === 'oldest-first' ? 'ASC' : 'DESC';
  return sql(`SELECT * FROM messages WHERE ${conditions.join(' AND ')} ORDER BY created_at ${direction} LIMIT :limit`);
}

const WINDOW_LATEST = windowStatement({});
const WINDOW_BEFORE = windowStatement({ before: 0 });
const WINDOW_AFTER = windowStatement({ after: 0 });
const WINDOW_BETWEEN = windowStatement({ before: 0, after: 0 });

function windowStatementFor({ before, after }: MessageWindow): SqlStatement<WindowParams, Record<string, unknown>> {
  if (before === undefined) return after === undefined ? WINDOW_LATEST : WINDOW_AFTER;
  return after === undefined ? WINDOW_BEFORE : WINDOW_BETWEEN;
}

@Injectable()
export class MessagesRepository {
  private readonly messageFromRow = this.executor.rowMapper(MessageEntity);

  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    private readonly executor: SqlExecutor,
  ) {}

  /**
   * Stores a message at a `createdAt` no other message of its channel has, never earlier than the
   * channel's latest, so epoch-ms cursors stay exact and newer messages never appear behind a cursor
   * a client already holds. Two writers racing for the same millisecond meet the unique index and
   * the loser moves one millisecond on. A retried `clientMessageId` returns the stored message.
   * `withIt` (its agent turn's statements) commits with the message or not at all; on PostgreSQL
   * the channel's writers of turns then commit one after the other, so stored order is the order
   * turns appear and are claimed in.
   */
  async append(draft: MessageEntity, withIt: Statement[] = [], guard?: SessionGuard): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (withIt.length === 0 && !guard) return { message: { ...draft, createdAt: await this.insertAfterLatest(draft) }, created: true, writtenWith: [] };
        // The guard's fields first: a literal that spreads and then adds properties is ~13x slower to build in V8.
        const insert = guard ? this.executor.bind(INSERT_INTO_LIVE_SESSION, { ...guard, ...asStored(draft) }) : this.executor.bind(INSERT_AFTER_LATEST, asStored(draft));
        const [[row], ...writtenWith] = (await this.executor.writeTogether([insert, ...withIt], { serializeOn: draft.channelId })) as [
          Array<{ createdAt: string | number }>,
          ...unknown[][],
        ];
        if (!row && guard) throw new SessionNotLiveError(guard.sessionId);
        return { message: { ...draft, createdAt: Number(row.createdAt) }, created: true, writtenWith };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const stored = await this.findDuplicateOf(draft);
        if (stored) return { message: stored, created: false, writtenWith: [] };
        if (attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /** The stored message a failed insert collided with: the same client id, or this agent's reply to the same message. */
  private async findDuplicateOf(draft: MessageEntity): Promise<MessageEntity | null> {
    if (draft.clientMessageId) return this.findByClientMessageId(draft.channelId, draft.clientMessageId);
    if (draft.inReplyTo) return this.messages.findOneBy({ inReplyTo: draft.inReplyTo, authorId: draft.authorId });
    return null;
  }

  /** Read by a turn claimed without its message (by a kick or the sweep; a turn's end claims the next one with it): one prepared statement. */
  async findInChannel(channelId: string, id: string): Promise<MessageEntity | null> {
    const [row] = await this.executor.query(FIND_IN_CHANNEL, { channelId, id });
    return row ? this.messageFromRow(row) : null;
  }

  findByClientMessageId(channelId: string, clientMessageId: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ channelId, clientMessageId });
  }

  /** Up to `limit + 1` rows of the window, in `scanOrder(window)`. */
  /** Every agent turn reads one (its history): a prepared statement per window shape, no query building. */
  async findWindow(channelId: string, window: MessageWindow): Promise<MessageEntity[]> {
    const { before, after } = window;
    const rows = await this.executor.query(windowStatementFor(window), { channelId, before, after, limit: window.limit + 1 });
    return rows.map(this.messageFromRow);
  }

  /** One statement on the hot path (see INSERT_AFTER_LATEST), bound so the prepared statement is reused. */
  private async insertAfterLatest(draft: MessageEntity): Promise<number> {
    const [row] = await this.executor.write(INSERT_AFTER_LATEST, asStored(draft));
    return Number(row.createdAt);
  }

  /** The replies stored for a user message, one per agent at most. */
  async findReplies(messageId: string): Promise<MessageEntity[]> {
    const rows = await this.executor.query(FIND_REPLIES, { messageId });
    return rows.map(this.messageFromRow);
  }
}

function asStored(draft: MessageEntity): StoredMessage {
  return {
    ...draft,
    attachments: JSON.stringify(draft.attachments),
    metadata: JSON.stringify(draft.metadata),
    actions: draft.actions === null ? null : JSON.stringify(draft.actions),
  };
}
