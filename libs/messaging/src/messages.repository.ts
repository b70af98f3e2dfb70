import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { boolParam, greatestFunction, isUniqueViolation, queryRows, Statement, writeRows, writeTogether } from '@switchboard/persistence';
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

type MessageRow = Record<'id' | 'channel_id' | 'author_id' | 'content' | 'attachments' | 'metadata', string> &
  Record<'thought' | 'actions' | 'client_message_id' | 'in_reply_to', string | null> & { is_agent: boolean | number; created_at: string | number };

function messageFromRow(row: MessageRow): MessageEntity {
  return {
    id: row.id,
    channelId: row.channel_id,
    authorId: row.author_id,
    isAgent: Boolean(row.is_agent),
    content: row.content,
    attachments: JSON.parse(row.attachments) as MessageEntity['attachments'],
    metadata: JSON.parse(row.metadata) as MessageEntity['metadata'],
    thought: row.thought,
    actions: row.actions === null ? null : (JSON.parse(row.actions) as string[]),
    clientMessageId: row.client_message_id,
    inReplyTo: row.in_reply_to,
    createdAt: Number(row.created_at),
  };
}

@Injectable()
export class MessagesRepository {
  constructor(@InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>) {}

  /**
   * Stores a message at a `createdAt` no other message of its channel has, never earlier than the
   * channel's latest, so epoch-ms cursors stay exact and newer messages never appear behind a cursor
   * a client already holds. Two writers racing for the same millisecond meet the unique index and
   * the loser moves one millisecond on. A retried `clientMessageId` returns the stored message.
   * `withIt` (its agent turn's statements) commits with the message or not at all; on PostgreSQL
   * the channel's writers of turns then commit one after the other, so stored order is the order
   * turns appear and are claimed in.
   */
  async append(draft: MessageEntity, withIt: Statement[] = []): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (withIt.length === 0) return { message: { ...draft, createdAt: await this.insertAfterLatest(draft) }, created: true, writtenWith: [] };
        const [[row], ...writtenWith] = (await writeTogether(this.messages.manager.connection, [this.insertStatement(draft), ...withIt], { serializeOn: draft.channelId })) as [
          Array<{ createdAt: string | number }>,
          ...unknown[][],
        ];
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

  findInChannel(channelId: string, id: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ channelId, id });
  }

  findByClientMessageId(channelId: string, clientMessageId: string): Promise<MessageEntity | null> {
    return this.messages.findOneBy({ channelId, clientMessageId });
  }

  /** Up to `limit + 1` rows of the window, in `scanOrder(window)`. */
  /** Every agent turn reads one (its history): a prepared statement per window shape, no query building. */
  async findWindow(channelId: string, window: MessageWindow): Promise<MessageEntity[]> {
    const conditions = ['channel_id = ?'];
    const params: unknown[] = [channelId];
    if (window.before !== undefined) {
      conditions.push('created_at < ?');
      params.push(window.before);
    }
    if (window.after !== undefined) {
      conditions.push('created_at > ?');
      params.push(window.after);
    }
    const direction = scanOrder(window) === 'oldest-first' ? 'ASC' : 'DESC';
    const rows = await queryRows<MessageRow>(
      this.messages.manager.connection,
      `SELECT * FROM messages WHERE ${conditions.join(' AND ')} ORDER BY created_at ${direction} LIMIT ?`,
      [...params, window.limit + 1],
    );
    return rows.map(messageFromRow);
  }

  /**
   * One statement on the hot path: the insert computes `createdAt` as max(now, channel's latest + 1)
   * itself, with bound parameters so the prepared statement is reused.
   */
  private async insertAfterLatest(draft: MessageEntity): Promise<number> {
    const { sql, params } = this.insertStatement(draft);
    const [row] = await writeRows<{ createdAt: string | number }>(this.messages.manager.connection, sql, params);
    return Number(row.createdAt);
  }

  private insertStatement(draft: MessageEntity): Statement {
    const dataSource = this.messages.manager.connection;
    return {
      sql: `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, thought, actions, client_message_id, in_reply_to, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${greatestFunction(dataSource)}(?, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = ?), 0)))
       RETURNING created_at AS "createdAt"`,
      params: [
        draft.id,
        draft.channelId,
        draft.authorId,
        boolParam(draft.isAgent),
        draft.content,
        JSON.stringify(draft.attachments),
        JSON.stringify(draft.metadata),
        draft.thought,
        draft.actions === null ? null : JSON.stringify(draft.actions),
        draft.clientMessageId,
        draft.inReplyTo,
        draft.createdAt,
        draft.channelId,
      ],
    };
  }

  /** The replies stored for a user message, one per agent at most. */
  async findReplies(messageId: string): Promise<MessageEntity[]> {
    const rows = await queryRows<MessageRow>(this.messages.manager.connection, 'SELECT * FROM messages WHERE in_reply_to = ? ORDER BY created_at', [messageId]);
    return rows.map(messageFromRow);
  }
}
