import { MigrationInterface, QueryRunner } from 'typeorm';

const TOKENS_BY_ISSUER = 'IDX_session_tokens_issued_by';

/**
 * Channels know the key that created them (a group channel belongs to it and its participants; a
 * session's channel to the session's key), and session tokens the key that issued them, so that
 * revoking a key revokes them too. Rows from before take their session's key, where there is one.
 * Plain ALTER TABLE on both databases: SQLite (3.35+) drops a column in place, where TypeORM
 * would rebuild the table and let ON DELETE CASCADE empty its children.
 */
export class Ownership1732235100000 implements MigrationInterface {
  name = 'Ownership1732235100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE channels ADD COLUMN created_by varchar(36)');
    await queryRunner.query('UPDATE channels SET created_by = (SELECT s.created_by FROM sessions s WHERE s.channel_id = channels.id) WHERE type = \'session\'');
    await queryRunner.query('ALTER TABLE session_tokens ADD COLUMN issued_by varchar(36)');
    await queryRunner.query('UPDATE session_tokens SET issued_by = (SELECT s.created_by FROM sessions s WHERE s.id = session_tokens.session_id)');
    await queryRunner.query(`CREATE INDEX "${TOKENS_BY_ISSUER}" ON session_tokens (issued_by)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "${TOKENS_BY_ISSUER}"`);
    await queryRunner.query('ALTER TABLE session_tokens DROP COLUMN issued_by');
    await queryRunner.query('ALTER TABLE channels DROP COLUMN created_by');
  }
}
