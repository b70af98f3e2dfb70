import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Seed 003's agent handoffs, as they happened: which conversation, from and to which agent, why, by whom. */
export class AgentHandoffs1732235300000 implements MigrationInterface {
  name = 'AgentHandoffs1732235300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agent_handoffs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'from_agent_id', type: 'varchar', length: '36' },
          { name: 'to_agent_id', type: 'varchar', length: '36' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'handed_off_by', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'bigint' },
        ],
        foreignKeys: [{ columnNames: ['channel_id'], referencedTableName: 'channels', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [{ name: 'IDX_agent_handoffs_channel', columnNames: ['channel_id', 'created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agent_handoffs');
  }
}
