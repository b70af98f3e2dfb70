import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Seed 003's `priority` of a /ws command: it decides which of an agent's queued commands runs next. */
export class CommandPriority1732235200001 implements MigrationInterface {
  name = 'CommandPriority1732235200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('commands', new TableColumn({ name: 'priority', type: 'varchar', length: '8', default: "'normal'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('commands', 'priority');
  }
}
