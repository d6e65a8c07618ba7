import { MigrationInterface, QueryRunner } from 'typeorm';

/** The SMS sweep looks for messages still `accepted` long after they came: this keeps it cheap. */
export class IndexAcceptedMessages1764400000000 implements MigrationInterface {
  name = 'IndexAcceptedMessages1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX messages_accepted_received_at_idx ON messages (received_at, id) WHERE status = 'accepted'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_accepted_received_at_idx`);
  }
}
