import { DataSource, EntityMetadata } from 'typeorm';
import { MessageEntity } from '@switchboard/messaging';
import { sql, SqlExecutor } from '@switchboard/persistence';
import { admin, createApiKey, createSession, http } from './utils/fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const SESSIONS = '/api/messaging/sessions';

/** The tables whose rows hand-written statements read and map (`SELECT *` / `RETURNING *`). */
const MAPPED_TABLES = ['agents', 'api_keys', 'session_tokens', 'channel_participants', 'messages', 'sessions', 'agent_turns'];

describe('SqlExecutor', () => {
  let t: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    [t, other] = await Promise.all([createTestApp(), createTestApp()]);
  });

  afterAll(async () => {
    await Promise.all([t.close(), other.close()]);
  });

  it('is one per app: two apps in one process each read and write their own database', async () => {
    const mine = await createSession(t);
    const theirs = await createSession(other);

    await http(t).post(`${SESSIONS}/${mine.sessionId}/messages`).set(admin).send({ content: 'hello', mode: 'sync' }).expect(201);

    expect(t.app.get(SqlExecutor)).not.toBe(other.app.get(SqlExecutor));
    await http(other).get(`${SESSIONS}/${mine.sessionId}`).set(admin).expect(404);
    await http(t).get(`${SESSIONS}/${theirs.sessionId}`).set(admin).expect(404);
    expect((await http(t).get(`${SESSIONS}/${mine.sessionId}/messages`).set(admin).expect(200)).body.messages).toHaveLength(2);
    expect((await http(other).get(`${SESSIONS}/${theirs.sessionId}/messages`).set(admin).expect(200)).body.messages).toHaveLength(0);
  });

  it('maps the raw rows of every table it reads into the entities TypeORM reads from the same rows, nulls included', async () => {
    const dataSource = t.app.get(DataSource);
    const executor = t.app.get(SqlExecutor);
    const { sessionId, channelId } = await createSession(t, { metadata: { topic: 'billing' } });
    await createApiKey(t, ['sessions:read']);
    for (const content of ['first', 'second']) {
      await http(t).post(`${SESSIONS}/${sessionId}/messages`).set(admin).send({ content, mode: 'sync', metadata: { n: 1 } }).expect(201);
    }
    const [first, second] = await dataSource.getRepository(MessageEntity).find({ where: { channelId, isAgent: false }, order: { createdAt: 'ASC' } });
    const turns = [
      { messageId: first.id, channelId, sessionId, messageCreatedAt: first.createdAt, owner: 'instance-a', leaseUntil: 1_767_258_000_000, attempts: 1 },
      { messageId: second.id, channelId, sessionId: null, messageCreatedAt: second.createdAt, owner: null, leaseUntil: null, attempts: 0 },
    ];
    // Copies: TypeORM writes what it thinks it generated back into the objects it inserts.
    await dataSource.getRepository(metadataOf(dataSource, 'agent_turns').target).insert(turns.map((turn) => ({ ...turn })));
    const mapped: Record<string, unknown[]> = {};

    for (const table of MAPPED_TABLES) {
      const metadata = metadataOf(dataSource, table);
      const order = metadata.primaryColumns.map((column) => column.databaseName).join(', ');
      const raw = (await executor.query(sql(`SELECT * FROM ${table} ORDER BY ${order}`), {})).map(executor.rowMapper(metadata.target));
      const viaTypeorm = await dataSource.getRepository(metadata.target).find({ order: Object.fromEntries(metadata.primaryColumns.map((column) => [column.propertyName, 'ASC'])) });

      expect(raw.length, table).toBeGreaterThan(0);
      expect(raw, table).toEqual(viaTypeorm);
      expect(raw.map((entity) => Object.keys(entity)), table).toEqual(viaTypeorm.map((entity) => Object.keys(entity)));
      mapped[table] = raw;
    }
    // Times read as numbers, BIGINT or not, on both databases.
    expect(mapped.agent_turns).toEqual(expect.arrayContaining(turns));
  });
});

function metadataOf(dataSource: DataSource, table: string): EntityMetadata {
  const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table);
  if (!metadata) throw new Error(`no entity for table ${table}`);
  return metadata;
}
