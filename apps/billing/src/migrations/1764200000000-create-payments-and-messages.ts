import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePaymentsAndMessages1764200000000 implements MigrationInterface {
  name = 'CreatePaymentsAndMessages1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        phone_number text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        url text NOT NULL UNIQUE,
        payment_id uuid NOT NULL REFERENCES payments (id),
        text text NOT NULL,
        phone_number text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_attempt text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX messages_payment_id_idx ON messages (payment_id)`);
    // The sweep looks for old pending messages only; a partial index keeps that cheap.
    await queryRunner.query(`CREATE INDEX messages_pending_created_at_idx ON messages (created_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE payments`);
  }
}
