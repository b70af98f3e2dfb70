import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true } as const;
const epochMs = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable }) as const;
const json = (name: string) => ({ name, type: 'text', isNullable: false, default: "'{}'" }) as const;

/** Agents, channels with participants and messages, and sessions. Written with the schema API so it runs on SQLite and PostgreSQL alike. */
export class InitialSchema1732233600000 implements MigrationInterface {
  name = 'InitialSchema1732233600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agents',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100', isUnique: true },
          { name: 'status', type: 'varchar', length: '16' },
          json('settings'),
          json('runtime'),
          epochMs('created_at'),
          epochMs('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'channels',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '255', isNullable: true },
          { name: 'type', type: 'varchar', length: '16' },
          json('metadata'),
          epochMs('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'channel_participants',
        columns: [
          { name: 'channel_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'entity_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          epochMs('joined_at'),
        ],
        foreignKeys: [{ columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          id,
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'author_id', type: 'varchar', length: '255' },
          { name: 'is_agent', type: 'boolean', default: false },
          { name: 'content', type: 'text' },
          { name: 'attachments', type: 'text', default: "'[]'" },
          json('metadata'),
          { name: 'thought', type: 'text', isNullable: true },
          { name: 'actions', type: 'text', isNullable: true },
          { name: 'client_message_id', type: 'varchar', length: '36', isNullable: true },
          epochMs('created_at'),
        ],
        foreignKeys: [{ columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          // One timestamp per message in a channel keeps epoch-ms cursors exact (see MessagesRepository).
          new TableIndex({ name: 'UQ_messages_channel_created', columnNames: ['channel_id', 'created_at'], isUnique: true }),
          new TableIndex({ name: 'UQ_messages_channel_client_id', columnNames: ['channel_id', 'client_message_id'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id,
          { name: 'agent_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'channel_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'timeout_minutes', type: 'integer' },
          { name: 'auto_renew', type: 'boolean' },
          { name: 'max_duration_minutes', type: 'integer' },
          { name: 'warning_threshold_minutes', type: 'integer' },
          json('metadata'),
          { name: 'renewal_count', type: 'integer', default: 0 },
          { name: 'created_by', type: 'varchar', length: '36', isNullable: true },
          epochMs('created_at'),
          epochMs('last_activity'),
          epochMs('expires_at'),
          epochMs('expired_at', true),
          epochMs('warned_at', true),
        ],
        foreignKeys: [
          { columnNames: ['agent_id'], referencedTableName: 'agents', referencedColumnNames: ['id'], onDelete: 'RESTRICT' },
          // Deleting a session's channel removes the session with it, in one statement.
          { columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [
          new TableIndex({ name: 'IDX_sessions_expires_at', columnNames: ['expires_at'] }),
          new TableIndex({ name: 'IDX_sessions_agent', columnNames: ['agent_id'] }),
          new TableIndex({ name: 'IDX_sessions_user', columnNames: ['user_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'messages', 'channel_participants', 'channels', 'agents']) {
      await queryRunner.dropTable(table);
    }
  }
}
