import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const CLIENT_ID_INDEX = 'UQ_messages_channel_client_id';

/**
 * Fewer index pages written per send, measured as the SQLite WAL's main cost: the client-id index
 * holds only messages that carry a client id (most do not), and the full `expires_at` index goes,
 * since every query on it also filters on status and reads one of the partial sweep indexes.
 */
export class LeanWriteIndexes1732234000000 implements MigrationInterface {
  name = 'LeanWriteIndexes1732234000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sessions', 'IDX_sessions_expires_at');
    await queryRunner.dropIndex('messages', CLIENT_ID_INDEX);
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: CLIENT_ID_INDEX, columnNames: ['channel_id', 'client_message_id'], isUnique: true, where: 'client_message_id IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', CLIENT_ID_INDEX);
    await queryRunner.createIndex('messages', new TableIndex({ name: CLIENT_ID_INDEX, columnNames: ['channel_id', 'client_message_id'], isUnique: true }));
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'IDX_sessions_expires_at', columnNames: ['expires_at'] }));
  }
}
