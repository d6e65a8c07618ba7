import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each message's timeline: created, every delivery attempt, the delivery report. */
export class AddMessageEvents1764400000000 implements MigrationInterface {
  name = 'AddMessageEvents1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE message_events (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES messages (id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL CHECK (kind IN ('created', 'attempt', 'report')),
        attempt int,
        outcome text,
        status int,
        detail text,
        retry_in_ms int
      )`);
    await queryRunner.query(`CREATE INDEX message_events_message_id_idx ON message_events (message_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE message_events`);
  }
}
