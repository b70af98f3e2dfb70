import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, isUniqueViolation, MIGRATIONS, sql, SqlExecutor, sqlExecutorFor } from '@switchboard/persistence';
import { createTestDatabase, TestDatabase } from './utils/test-database';

const INSERT_CHANNEL = sql<{ id: string; createdAt: number }>(`INSERT INTO channels (id, name, type, metadata, created_at) VALUES (:id, 'migrations', 'DM', '{}', :createdAt)`);
const INSERT_MESSAGE = sql<{ id: string; channelId: string; clientMessageId: string | null; createdAt: number }>(
  `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, client_message_id, created_at)
   VALUES (:id, :channelId, 'user-1', FALSE, 'hello', '[]', '{}', :clientMessageId, :createdAt)`,
);
const INSERT_REPLY = sql<{ id: string; channelId: string; authorId: string; inReplyTo: string; createdAt: number }>(
  `INSERT INTO messages (id, channel_id, author_id, is_agent, content, attachments, metadata, in_reply_to, created_at)
   VALUES (:id, :channelId, :authorId, TRUE, 'reply', '[]', '{}', :inReplyTo, :createdAt)`,
);
const COUNT_MESSAGES = sql<{ channelId: string }, { count: string | number }>('SELECT COUNT(*) AS count FROM messages WHERE channel_id = :channelId');

const TABLES = ['agents', 'channels', 'channel_participants', 'messages', 'sessions', 'api_keys', 'session_tokens', 'commands', 'server_identity', 'agent_turns', 'agent_emotions', 'agent_handoffs'];

describe('migrations', () => {
  let database: TestDatabase;
  let sut: DataSource;
  let executor: SqlExecutor;

  const insertChannel = async (): Promise<string> => {
    const id = randomUUID();
    await executor.query(INSERT_CHANNEL, { id, createdAt: Date.now() });
    return id;
  };
  const insertMessage = (channelId: string, clientMessageId: string | null, createdAt: number) =>
    executor.query(INSERT_MESSAGE, { id: randomUUID(), channelId, clientMessageId, createdAt });
  const messageCount = async (channelId: string): Promise<number> => {
    const [row] = await executor.query(COUNT_MESSAGES, { channelId });
    return Number(row.count);
  };
  const hasTable = async (table: string): Promise<boolean> => {
    const runner = sut.createQueryRunner();
    try {
      return await runner.hasTable(table);
    } finally {
      await runner.release();
    }
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    sut = new DataSource({ ...dataSourceOptions(database.url), migrationsRun: false });
    await sut.initialize();
    executor = sqlExecutorFor(sut);
  });

  afterEach(async () => {
    await sut.destroy();
    await database.drop();
  });

  it('reverts every migration, newest first, down to an empty schema, and applies them all again', async () => {
    await sut.runMigrations();

    for (let left = MIGRATIONS.length; left > 0; left--) await sut.undoLastMigration();
    const tablesAfterRevert = await Promise.all(TABLES.map(hasTable));
    const reapplied = await sut.runMigrations();

    expect(tablesAfterRevert).toEqual(TABLES.map(() => false));
    expect(reapplied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await Promise.all(TABLES.map(hasTable))).toEqual(TABLES.map(() => true));
  });

  it('upgrades a database of the previous release with its messages, and a client id still stores one message per channel', async () => {
    await sut.runMigrations();
    await sut.undoLastMigration();
    const channelId = await insertChannel();
    await insertMessage(channelId, 'client-1', 1);
    await insertMessage(channelId, null, 2);

    await sut.runMigrations();
    await insertMessage(channelId, null, 3);
    await insertMessage(await insertChannel(), 'client-1', 4);

    await expect(insertMessage(channelId, 'client-1', 5)).rejects.toSatisfy(isUniqueViolation);
    expect(await messageCount(channelId)).toBe(3);
  });

  it('stores at most one reply per message and agent, whoever writes it', async () => {
    await sut.runMigrations();
    const channelId = await insertChannel();
    const reply = (authorId: string, inReplyTo: string, createdAt: number) =>
      executor.query(INSERT_REPLY, { id: randomUUID(), channelId, authorId, inReplyTo, createdAt });
    const question = randomUUID();

    await reply('agent-a', question, 1);
    await reply('agent-b', question, 2);
    await reply('agent-a', randomUUID(), 3);

    await expect(reply('agent-a', question, 4)).rejects.toSatisfy(isUniqueViolation);
    expect(await messageCount(channelId)).toBe(3);
  });
});
