import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMessages1764200000000 implements MigrationInterface {
  name = 'CreateMessages1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_url text NOT NULL,
        text text NOT NULL,
        phone_number text NOT NULL,
        status text NOT NULL DEFAULT 'accepted',
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The unique index is what makes receiving idempotent, even for simultaneous retries.
    await queryRunner.query(`CREATE UNIQUE INDEX messages_message_url_key ON messages (message_url)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE messages`);
  }
}
