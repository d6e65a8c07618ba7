import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource, Logger } from 'typeorm';
import { ensureDatabaseExists, runMigrationsLocked } from '@onebip/platform';
import { scratchDatabase } from '@onebip/testing';
import { Message } from '../src/messages/message.entity';
import { MessagesRepository, NewMessage } from '../src/messages/messages.repository';
import { migrations } from '../src/migrations';

const noop = () => undefined;

/** Counts the statements sent to Postgres: each is a round trip. */
class StatementCount implements Logger {
  count = 0;
  logQuery = () => void this.count++;
  logQueryError = noop;
  logQuerySlow = noop;
  logSchemaBuild = noop;
  logMigration = noop;
  log = noop;
}

// A database of its own: acceptedOlderThan reads every accepted message in it.
const database = scratchDatabase('connectivity');
const statements = new StatementCount();
let dataSource: DataSource;
let repository: MessagesRepository;

before(async () => {
  await ensureDatabaseExists(database.url);
  dataSource = await new DataSource({ type: 'postgres', url: database.url, entities: [Message], migrations, logger: statements }).initialize();
  await runMigrationsLocked(dataSource);
  repository = new MessagesRepository(dataSource.getRepository(Message));
});
after(async () => {
  await dataSource?.destroy();
  await database.drop();
});

/** A message to store, at a URL of its own unless overridden. */
function buildNewMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  const messageUrl = `http://billing.test/messages/${randomUUID()}`;
  return { messageUrl, messageUrlCanonical: messageUrl, text: 'You paid 12.99 EUR', phoneNumber: '393331234567', callback: null, ...overrides };
}

/** How many statements `action` sent to Postgres, and what it returned. */
async function counted<T>(action: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = statements.count;
  const result = await action();
  return { statements: statements.count - before, result };
}

/** Sets when the database says `message` came, as a timestamptz literal. */
async function receivedAt(message: Message, at: string): Promise<void> {
  await dataSource.query('UPDATE messages SET received_at = $2 WHERE id = $1', [message.id, at]);
}

describe('storing a message once', () => {
  it('stores a new message in one statement and returns it as stored: accepted, with its id and time of arrival', async () => {
    const message = buildNewMessage({ callback: 'http://billing.test/reports' });

    const { statements, result } = await counted(() => repository.storeOnce(message));

    assert.equal(statements, 1);
    assert.equal(result.storedNow, true);
    assert.ok(result.message instanceof Message);
    assert.deepEqual(
      { ...result.message, id: undefined, receivedAt: undefined },
      { ...message, id: undefined, status: 'accepted', receivedAt: undefined, finalAt: null, reportAcknowledgedAt: null, reportGivenUpAt: null },
    );
    assert.match(result.message.id, /^[0-9a-f-]{36}$/);
    assert.ok(result.message.receivedAt instanceof Date);
  });

  it('given a URL already stored under the same canonical form, returns the stored message unchanged and stores nothing', async () => {
    const first = buildNewMessage();
    const { message: stored } = await repository.storeOnce(first);

    const respelt = { ...first, messageUrl: first.messageUrl.replace('http://billing.test', 'HTTP://BILLING.test:80'), text: 'another text' };
    const { statements, result } = await counted(() => repository.storeOnce(respelt));

    assert.equal(statements, 2, 'the insert, then the read of the stored message');
    assert.equal(result.storedNow, false);
    assert.deepEqual(result.message, stored);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM messages WHERE message_url_canonical = $1', [first.messageUrlCanonical]);
    assert.equal(count, 1);
  });

  it('given 20 simultaneous stores of one URL, stores it once and all of them return that message', async () => {
    const message = buildNewMessage();

    const results = await Promise.all(Array.from({ length: 20 }, () => repository.storeOnce(message)));

    assert.equal(results.filter((result) => result.storedNow).length, 1);
    assert.equal(new Set(results.map((result) => result.message.id)).size, 1);
  });
});

describe('settling a message', () => {
  it('gives an accepted message its final status and time in one statement', async () => {
    const { message } = await repository.storeOnce(buildNewMessage());

    const { statements, result } = await counted(() => repository.settle(message.messageUrl, 'delivered'));

    assert.equal(statements, 1);
    assert.equal(result?.status, 'delivered');
    assert.ok(result?.finalAt instanceof Date);
    assert.deepEqual({ ...result, status: undefined, finalAt: undefined }, { ...message, status: undefined, finalAt: undefined });
  });

  it('leaves a final status as it is, and returns the message as it first became final', async () => {
    const { message } = await repository.storeOnce(buildNewMessage());
    const settled = await repository.settle(message.messageUrl, 'undeliverable');

    const { statements, result } = await counted(() => repository.settle(message.messageUrl, 'delivered'));

    assert.equal(statements, 2, 'the update, which changes nothing, then the read');
    assert.deepEqual(result, settled);
  });

  it('returns null for a URL with no message', async () => {
    assert.equal(await repository.settle('http://billing.test/messages/none', 'delivered'), null);
  });

  it('settles only the message stored under that exact spelling', async () => {
    const { message } = await repository.storeOnce(buildNewMessage());

    assert.equal(await repository.settle(message.messageUrl.toUpperCase(), 'delivered'), null);
  });
});

describe('accepted messages older than a threshold', () => {
  it('come oldest first, in pages that never repeat a message, leaving out final messages and those received since', async () => {
    // Microseconds, as now() gives them: a page must start after the last message of the one before
    // even though a Date, holding milliseconds, cannot say exactly when that message came.
    const stored: Message[] = [];
    for (const at of [
      '2001-01-01T00:00:01.000001Z',
      '2001-01-01T00:00:02.000002Z',
      '2001-01-01T00:00:03.000003Z',
      '2001-01-01T00:00:04.000004Z',
      '2001-01-01T00:00:05.000005Z',
    ]) {
      const { message } = await repository.storeOnce(buildNewMessage());
      await receivedAt(message, at);
      stored.push(message);
    }
    await repository.storeOnce(buildNewMessage());
    await repository.settle(stored[1].messageUrl, 'delivered');

    const pages: string[][] = [];
    for await (const page of repository.acceptedOlderThan(500_000, 2)) pages.push(page.map((message) => message.messageUrl));

    const [first, , third, fourth, fifth] = stored.map((message) => message.messageUrl);
    assert.deepEqual(pages, [
      [first, third],
      [fourth, fifth],
    ]);
  });

  it('given messages received at the same moment, reads each once, in the order of their ids', async () => {
    const sameMoment: Message[] = [];
    for (let i = 0; i < 5; i++) {
      const { message } = await repository.storeOnce(buildNewMessage());
      await receivedAt(message, '2000-01-01T00:00:00Z');
      sameMoment.push(message);
    }

    const read: string[] = [];
    for await (const page of repository.acceptedOlderThan(500_000, 2)) read.push(...page.map((message) => message.id));

    assert.deepEqual(read.slice(0, 5), sameMoment.map((message) => message.id).sort());
    assert.equal(new Set(read).size, read.length, 'no message read twice');
  });
});

describe('finding a message', () => {
  it('by its id and by its canonical URL; null when there is none', async () => {
    const { message } = await repository.storeOnce(buildNewMessage());

    assert.deepEqual(await repository.findById(message.id), message);
    assert.deepEqual(await repository.findByCanonicalUrl(message.messageUrlCanonical), message);
    assert.equal(await repository.findById(randomUUID()), null);
    assert.equal(await repository.findByCanonicalUrl('http://billing.test/messages/none'), null);
  });
});
