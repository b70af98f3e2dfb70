import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const CLIENT_ID_INDEX = 'UQ_messages_channel_client_id';

/**
 * The client-id index holds only messages that carry a client id, which most do not: one index
 * page fewer written per message, and on SQLite those pages, each a WAL frame, are the main cost
 * of a send. Lookups by client id name one, so they still use the index.
 */
export class PartialClientIdIndex1732234000000 implements MigrationInterface {
  name = 'PartialClientIdIndex1732234000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', CLIENT_ID_INDEX);
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: CLIENT_ID_INDEX, columnNames: ['channel_id', 'client_message_id'], isUnique: true, where: 'client_message_id IS NOT NULL' }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', CLIENT_ID_INDEX);
    await queryRunner.createIndex('messages', new TableIndex({ name: CLIENT_ID_INDEX, columnNames: ['channel_id', 'client_message_id'], isUnique: true }));
  }
}
