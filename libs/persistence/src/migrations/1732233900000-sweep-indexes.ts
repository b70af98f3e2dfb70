import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Partial indexes for the sweep: its claims read only active (and, for warnings, unwarned)
 * sessions, so expired rows awaiting their purge never lengthen an idle sweep.
 */
export class SweepIndexes1732233900000 implements MigrationInterface {
  name = 'SweepIndexes1732233900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'IDX_sessions_active_expires_at', columnNames: ['expires_at'], where: "status = 'active'" }));
    await queryRunner.createIndex(
      'sessions',
      new TableIndex({ name: 'IDX_sessions_unwarned_expires_at', columnNames: ['expires_at'], where: "status = 'active' AND warned_at IS NULL" }),
    );
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'IDX_sessions_expired_expires_at', columnNames: ['expires_at'], where: "status = 'expired'" }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['IDX_sessions_expired_expires_at', 'IDX_sessions_unwarned_expires_at', 'IDX_sessions_active_expires_at']) {
      await queryRunner.dropIndex('sessions', name);
    }
  }
}
