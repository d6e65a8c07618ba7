import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What became of each message's delivery report: acknowledged by the sender (202 or 409), or
 * given up. A report with neither is still owed, and the report sweep re-sends it when its job is
 * lost. Reports of messages settled before this migration are taken as acknowledged: their jobs
 * ran under the code that kept no record, and re-sending a whole history to every sender at
 * deploy would be a burst of 409s for nothing.
 */
export class RecordDeliveryReportOutcomes1764600000000 implements MigrationInterface {
  name = 'RecordDeliveryReportOutcomes1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN report_acknowledged_at timestamptz, ADD COLUMN report_given_up_at timestamptz`);
    await queryRunner.query(`UPDATE messages SET report_acknowledged_at = final_at WHERE callback IS NOT NULL AND status <> 'accepted'`);
    await queryRunner.query(
      `CREATE INDEX messages_report_owed_final_at_idx ON messages (final_at, id)
       WHERE status <> 'accepted' AND callback IS NOT NULL AND report_acknowledged_at IS NULL AND report_given_up_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_report_owed_final_at_idx`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN report_acknowledged_at, DROP COLUMN report_given_up_at`);
  }
}
