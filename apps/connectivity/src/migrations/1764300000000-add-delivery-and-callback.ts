import { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages go on to the carrier now: delivered or undeliverable, reported to an optional callback. */
export class AddDeliveryAndCallback1764300000000 implements MigrationInterface {
  name = 'AddDeliveryAndCallback1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN callback text`);
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN final_at timestamptz`);
    await queryRunner.query(`ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('accepted', 'delivered', 'undeliverable'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP CONSTRAINT messages_status_check`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN final_at`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN callback`);
  }
}
