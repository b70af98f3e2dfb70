import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { boolParam, greatestFunction, isUniqueViolation, queryRows, writeRows } from '@switchboard/persistence';
import { MessageEntity } from './message.entity';
import { MessageWindow, scanOrder } from './message-cursor';

const MAX_APPEND_ATTEMPTS = 8;

export interface AppendResult {
  message: MessageEntity;
  /** False when `clientMessageId` matched a message already stored: nothing new was written. */
  created: boolean;
}

type MessageRow = Record<'id' | 'channel_id' | 'author_id' | 'content' | 'attachments' | 'metadata', string> &
  Record<'thought' | 'actions' | 'client_message_id', string | null> & { is_agent: boolean | number; created_at: string | number };

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
   */
  async append(draft: MessageEntity): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { message: { ...draft, createdAt: await this.insertAfterLatest(draft) }, created: true };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const stored = draft.clientMessageId ? await this.findByClientMessageId(draft.channelId, draft.clientMessageId) : null;
        if (stored) return { message: stored, created: false };
        if (attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
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
    const dataSource = this.messages.manager.connection;
    const [row] = await writeRows<{ createdAt: string | number }>(
      dataSource,
      `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, thought, actions, client_message_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${greatestFunction(dataSource)}(?, COALESCE((SELECT MAX(created_at) + 1 FROM messages WHERE channel_id = ?), 0)))
       RETURNING created_at AS "createdAt"`,
      [
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
        draft.createdAt,
        draft.channelId,
      ],
    );
    return Number(row.createdAt);
  }
}
