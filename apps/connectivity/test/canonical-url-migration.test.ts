import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataSource, Logger } from 'typeorm';
import { ensureDatabaseExists } from '@onebip/platform';
import { scratchDatabase } from '@onebip/testing';
import { migrations } from '../src/migrations';
import { AddCanonicalMessageUrls1764500000000 } from '../src/migrations/1764500000000-add-canonical-message-urls';

const noop = () => undefined;

/** What TypeORM's migrations log, kept for the test to read. */
class KeptLog implements Logger {
  readonly lines: string[] = [];
  logQuery = noop;
  logQueryError = noop;
  logQuerySlow = noop;
  logSchemaBuild = noop;
  logMigration = noop;
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    this.lines.push(`${level} ${String(message)}`);
  }
}

/** Where the migration under test stands among connectivity's migrations: those before it make the table it finds. */
const canonicalMigration = migrations.indexOf(AddCanonicalMessageUrls1764500000000);

async function migrate(url: string, upTo: number, logger: Logger = new KeptLog()): Promise<DataSource> {
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    migrations: migrations.slice(0, upTo),
    logger,
    logging: ['info', 'warn', 'log'],
  }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

describe('the migration to canonical message URLs', () => {
  it('fills the canonical column without touching message_url, and reports rows that share a canonical form, changing none', async () => {
    const database = scratchDatabase('connectivity');
    await ensureDatabaseExists(database.url);
    const before = await migrate(database.url, canonicalMigration);
    const stored = [
      'http://billing.example/messages/1',
      'HTTP://billing.example/messages/./1',
      'http://billing.example/messages/2#kept',
      'http://billing.example/messages/3',
      'http://billing.example/messages/%31',
    ];
    const ids: string[] = [];
    for (const [i, url] of stored.entries()) {
      const [row] = await before.query(
        `INSERT INTO messages (message_url, text, phone_number, received_at) VALUES ($1, 'hi', '393331234567', now() - make_interval(secs => $2)) RETURNING id`,
        [url, 100 - i],
      );
      ids.push(row.id);
    }
    await before.destroy();

    const log = new KeptLog();
    const after = await migrate(database.url, canonicalMigration + 1, log);
    try {
      const rows: { id: string; message_url: string; message_url_canonical: string }[] = await after.query(
        'SELECT id, message_url, message_url_canonical FROM messages ORDER BY received_at',
      );
      assert.deepEqual(
        rows.map((row) => row.message_url),
        stored,
        'message_url as it was',
      );
      assert.deepEqual(
        rows.map((row) => row.message_url_canonical),
        [
          'http://billing.example/messages/1',
          `http://billing.example/messages/1#duplicate:${ids[1]}-of:${ids[0]}`,
          'http://billing.example/messages/2#kept',
          'http://billing.example/messages/3',
          `http://billing.example/messages/1#duplicate:${ids[4]}-of:${ids[0]}`,
        ],
      );
      assert.ok(
        log.lines.some((line) => line.startsWith('warn') && line.includes('2 stored message(s)') && line.includes(ids[1]) && line.includes(ids[4])),
        log.lines.join('\n'),
      );
      await assert.rejects(
        after.query(
          `INSERT INTO messages (message_url, message_url_canonical, text, phone_number) VALUES ('http://x/1', 'http://billing.example/messages/3', 'hi', '1')`,
        ),
        /messages_message_url_canonical_key/,
        'uniqueness holds from then on',
      );
    } finally {
      await after.destroy();
      await database.drop();
    }
  });
});
