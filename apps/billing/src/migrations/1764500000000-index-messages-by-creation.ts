import { MigrationInterface, QueryRunner } from 'typeorm';

/** The latest messages, newest first (the demo console's list), without a sort of the whole table. */
export class IndexMessagesByCreation1764500000000 implements MigrationInterface {
  name = 'IndexMessagesByCreation1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX messages_created_at_id_idx ON messages (created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_created_at_id_idx`);
  }
}
