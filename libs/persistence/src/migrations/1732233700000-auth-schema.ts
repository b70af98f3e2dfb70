import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** API keys and session tokens, both stored only as SHA-256 hashes. */
export class AuthSchema1732233700000 implements MigrationInterface {
  name = 'AuthSchema1732233700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'token_prefix', type: 'varchar', length: '16' },
          { name: 'scopes', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'last_used_at', type: 'bigint', isNullable: true },
          { name: 'expires_at', type: 'bigint', isNullable: true },
          { name: 'revoked_at', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'session_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'session_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'bigint' },
        ],
        foreignKeys: [{ columnNames: ['session_id'], referencedTableName: 'sessions', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'IDX_session_tokens_session', columnNames: ['session_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('session_tokens');
    await queryRunner.dropTable('api_keys');
  }
}
