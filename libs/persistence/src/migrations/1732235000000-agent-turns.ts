import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const REPLY_INDEX = 'UQ_messages_reply_per_agent';

/**
 * Agent turns become rows, so the queue outlives the instance that stored the message: a turn per
 * user message still to be answered, claimed under a lease. One reply per message and agent is a
 * unique index, so two instances racing for a turn cannot both store an answer. The agents'
 * emotions, which every instance reports, move to the store too.
 */
export class AgentTurns1732235000000 implements MigrationInterface {
  name = 'AgentTurns1732235000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agent_turns',
        columns: [
          { name: 'message_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'message_created_at', type: 'bigint' },
          { name: 'owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_until', type: 'bigint', isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
        ],
        foreignKeys: [
          { columnNames: ['message_id'], referencedTableName: 'messages', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
        indices: [
          new TableIndex({ name: 'IDX_agent_turns_channel_order', columnNames: ['channel_id', 'message_created_at'] }),
          // At most one claimed turn per channel, whatever the instances do.
          new TableIndex({ name: 'UQ_agent_turns_one_claim_per_channel', columnNames: ['channel_id'], isUnique: true, where: 'owner IS NOT NULL' }),
        ],
      }),
    );
    await queryRunner.addColumn('messages', new TableColumn({ name: 'in_reply_to', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: REPLY_INDEX, columnNames: ['in_reply_to', 'author_id'], isUnique: true, where: 'in_reply_to IS NOT NULL' }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'agent_emotions',
        columns: [
          { name: 'agent_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'emotion', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'bigint' },
        ],
        foreignKeys: [{ columnNames: ['agent_id'], referencedTableName: 'agents', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agent_emotions');
    await queryRunner.dropIndex('messages', REPLY_INDEX);
    await queryRunner.dropColumn('messages', 'in_reply_to');
    await queryRunner.dropTable('agent_turns');
  }
}
