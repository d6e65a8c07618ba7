import { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalMessageUrl } from '@onebip/messaging';

const BATCH = 1000;

/**
 * Messages are compared by their URL's canonical form (docs/protocol.md), not by its spelling:
 * a `message_url_canonical` column carries the unique index, and `message_url` keeps the spelling
 * received, untouched, for everything connectivity sends back.
 *
 * Rows stored before this one may already hold two spellings of one URL. Neither row is changed
 * or deleted: the oldest keeps the canonical form, each later one gets it with a suffix
 * (`#duplicate:<its id>-of:<id of the oldest>`) that no canonical form can have (they never carry a
 * fragment), and the migration logs how many and which. A URL with no canonical form (accepted
 * before the rule) keeps its spelling as its identity. The table is locked for writes meanwhile,
 * so that an older replica cannot slip a row in between the fill and the index.
 */
export class AddCanonicalMessageUrls1764500000000 implements MigrationInterface {
  name = 'AddCanonicalMessageUrls1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('LOCK TABLE messages IN SHARE ROW EXCLUSIVE MODE');
    await queryRunner.query('ALTER TABLE messages ADD COLUMN message_url_canonical text');
    // For the oldest-first pages below: each one an index range, not a scan and a sort.
    await queryRunner.query('CREATE INDEX messages_canonical_fill_idx ON messages (received_at, id)');
    const firstOf = new Map<string, string>();
    const collided: string[] = [];
    // The cursor's time as Postgres' text: a JS Date would drop its microseconds and find the same row again.
    let after: { receivedAt: string; id: string } | undefined;
    for (;;) {
      const rows: { id: string; message_url: string; received_at: string }[] = after
        ? await queryRunner.query(
            `SELECT id, message_url, received_at::text AS received_at FROM messages
              WHERE (received_at, id) > ($1::timestamptz, $2::uuid) ORDER BY received_at, id LIMIT ${BATCH}`,
            [after.receivedAt, after.id],
          )
        : await queryRunner.query(`SELECT id, message_url, received_at::text AS received_at FROM messages ORDER BY received_at, id LIMIT ${BATCH}`);
      if (rows.length === 0) break;
      const ids: string[] = [];
      const values: string[] = [];
      for (const row of rows) {
        const result = canonicalMessageUrl(row.message_url);
        const canonical = result.ok ? result.canonical : row.message_url;
        const first = firstOf.get(canonical);
        if (first === undefined) firstOf.set(canonical, row.id);
        else collided.push(row.id);
        ids.push(row.id);
        // The row's own id too: three spellings of one URL must still make two distinct values.
        values.push(first === undefined ? canonical : `${canonical}#duplicate:${row.id}-of:${first}`);
      }
      await queryRunner.query(
        `UPDATE messages SET message_url_canonical = filled.canonical
           FROM unnest($1::uuid[], $2::text[]) AS filled(id, canonical) WHERE messages.id = filled.id`,
        [ids, values],
      );
      const last = rows[rows.length - 1];
      after = { receivedAt: last.received_at, id: last.id };
    }
    await queryRunner.query('DROP INDEX messages_canonical_fill_idx');
    await queryRunner.query('ALTER TABLE messages ALTER COLUMN message_url_canonical SET NOT NULL');
    await queryRunner.query('CREATE UNIQUE INDEX messages_message_url_canonical_key ON messages (message_url_canonical)');
    const report =
      collided.length === 0
        ? 'canonical message URLs: every stored message has one of its own'
        : `canonical message URLs: ${collided.length} stored message(s) share their URL's canonical form with an older one and keep a suffixed identity: ${collided.join(', ')}`;
    queryRunner.connection.logger.log(collided.length === 0 ? 'info' : 'warn', report);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX messages_message_url_canonical_key');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN message_url_canonical');
  }
}
