import { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages learn their fate from connectivity's delivery reports: delivered or undeliverable. */
export class AddDeliveryReports1764300000000 implements MigrationInterface {
  name = 'AddDeliveryReports1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP CONSTRAINT messages_status_check`);
    await queryRunner.query(
      `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sent', 'failed', 'delivered', 'undeliverable'))`,
    );
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN reported_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN reported_at`);
    await queryRunner.query(`ALTER TABLE messages DROP CONSTRAINT messages_status_check`);
    await queryRunner.query(`ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sent', 'failed'))`);
  }
}
