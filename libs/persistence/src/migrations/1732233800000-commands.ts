import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Commands given to agents over /ws, readable over REST. */
export class Commands1732233800000 implements MigrationInterface {
  name = 'Commands1732233800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'commands',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'agent_id', type: 'varchar', length: '36' },
          { name: 'instruction', type: 'text' },
          { name: 'parameters', type: 'text', default: "'{}'" },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'requested_by', type: 'varchar', length: '255' },
          { name: 'created_at', type: 'bigint' },
          { name: 'completed_at', type: 'bigint', isNullable: true },
          { name: 'execution_time_ms', type: 'integer', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['agent_id'], referencedTableName: 'agents', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'IDX_commands_agent_created', columnNames: ['agent_id', 'created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('commands');
  }
}
