import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events billing publishes (CloudEvents), the services subscribed to them, and one delivery per
 * event and subscription: the outbox of the events, as `messages` is the outbox of commands.
 */
export class AddEvents1764700000000 implements MigrationInterface {
  name = 'AddEvents1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        subject text NOT NULL,
        time timestamptz NOT NULL,
        data jsonb NOT NULL
      )`);
    // Backfill reads events from a time on, and retention deletes the oldest.
    await queryRunner.query(`CREATE INDEX events_time_id_idx ON events (time, id)`);
    await queryRunner.query(`
      CREATE TABLE subscriptions (
        subscriber text PRIMARY KEY,
        url text NOT NULL,
        types text[],
        since timestamptz,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE event_deliveries (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        subscriber text NOT NULL REFERENCES subscriptions (subscriber) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_attempt text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        UNIQUE (event_id, subscriber)
      )`);
    // The sweep of deliveries still pending, oldest first (as messages_pending_created_at_idx).
    await queryRunner.query(`CREATE INDEX event_deliveries_pending_idx ON event_deliveries (created_at, id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX event_deliveries_subscriber_idx ON event_deliveries (subscriber)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_deliveries`);
    await queryRunner.query(`DROP TABLE subscriptions`);
    await queryRunner.query(`DROP TABLE events`);
  }
}
