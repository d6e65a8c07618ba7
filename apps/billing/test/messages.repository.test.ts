import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryAttempt } from '@onebip/messaging';
import { deferredCleanups } from '@onebip/testing';
import { TestBillingDatabase, buildPaymentWithMessage, openBillingDatabase, storeMessage } from './billing-database';

const defer = deferredCleanups();
async function billingDatabase(): Promise<TestBillingDatabase> {
  const database = await openBillingDatabase();
  defer(() => database.close());
  return database;
}

function attempt(identity: string, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return { identity, attempt: 1, outcome: 'delivered', status: 202, detail: 'HTTP 202', ...overrides };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('an outbox entry', () => {
  it('numbers its parameters from the one the composing statement gives it', async () => {
    const database = await billingDatabase();
    const { message } = buildPaymentWithMessage();
    const { sql, parameters } = database.messages.outboxEntry(message).ctes(7);
    assert.deepEqual([...new Set(sql.match(/\$\d+/g))].sort(), ['$10', '$11', '$12', '$7', '$8', '$9']);
    assert.deepEqual(parameters, [message.id, message.url, message.paymentId, message.text, message.phoneNumber, message.createdAt]);
  });
});

describe('a delivery report, in one statement', () => {
  it('gives the message its final status, stamps it reported and sent, and adds the report to its timeline', async () => {
    const database = await billingDatabase();
    const message = await storeMessage(database);

    const { result, statements } = await database.statementsOf(() => database.messages.recordDeliveryReport(message.id, message.url, 'delivered'));

    assert.equal(statements.length, 1);
    assert.equal(result?.url, message.url);
    const reported = result!.reported!;
    assert.equal(reported.status, 'delivered');
    assert.ok(reported.reportedAt instanceof Date && reported.sentAt instanceof Date);
    assert.deepEqual(await database.messages.findById(message.id), reported);
    const timeline = (await database.messages.timelines([message.id])).get(message.id)!;
    assert.deepEqual(
      timeline.map(({ kind, outcome }) => ({ kind, outcome })),
      [
        { kind: 'created', outcome: null },
        { kind: 'report', outcome: 'delivered' },
      ],
    );
  });

  it('keeps the time a message was sent when it was sent before the report', async () => {
    const database = await billingDatabase();
    const message = await storeMessage(database);
    await database.messages.recordAttempts([attempt(message.url)]);
    const { sentAt } = (await database.messages.findById(message.id))!;

    const written = await database.messages.recordDeliveryReport(message.id, message.url, 'undeliverable');

    assert.equal(written?.reported?.status, 'undeliverable');
    assert.deepEqual(written?.reported?.sentAt, sentAt);
  });

  it('changes nothing when repeated or about another message, and says which message the id names', async () => {
    const database = await billingDatabase();
    const message = await storeMessage(database);
    await database.messages.recordDeliveryReport(message.id, message.url, 'delivered');
    const afterFirst = await database.messages.findById(message.id);

    assert.deepEqual(await database.messages.recordDeliveryReport(message.id, message.url, 'undeliverable'), { url: message.url, reported: null });
    assert.deepEqual(await database.messages.recordDeliveryReport(message.id, `${message.url}0`, 'undeliverable'), { url: message.url, reported: null });

    assert.deepEqual(await database.messages.findById(message.id), afterFirst);
    const timeline = (await database.messages.timelines([message.id])).get(message.id)!;
    assert.equal(timeline.filter(({ kind }) => kind === 'report').length, 1);
  });

  it('finds nothing for an id no message has', async () => {
    const database = await billingDatabase();
    assert.equal(await database.messages.recordDeliveryReport('00000000-0000-4000-8000-000000000000', 'http://billing.test/messages/x', 'delivered'), null);
  });
});

describe('delivery attempts', () => {
  it('count on their message, but never move it back: a give-up after a 202 leaves it sent, and a 202 after a report leaves it delivered', async () => {
    const database = await billingDatabase();
    const [sent, delivered] = [await storeMessage(database), await storeMessage(database)];
    await database.messages.recordDeliveryReport(delivered.id, delivered.url, 'delivered');

    await database.messages.recordAttempts([attempt(sent.url), attempt(delivered.url)]);
    await database.messages.recordAttempts([attempt(sent.url, { attempt: 2, outcome: 'gave-up', status: 503, detail: 'HTTP 503' })]);

    const [nowSent, stillDelivered] = [await database.messages.findById(sent.id), await database.messages.findById(delivered.id)];
    assert.deepEqual(
      { status: nowSent?.status, attempts: nowSent?.attempts, lastAttempt: nowSent?.lastAttempt },
      { status: 'sent', attempts: 2, lastAttempt: 'HTTP 503' },
    );
    assert.deepEqual({ status: stillDelivered?.status, attempts: stillDelivered?.attempts }, { status: 'delivered', attempts: 1 });
  });

  it('make a message failed when delivery gives up, and markPending puts only a failed message back to pending', async () => {
    const database = await billingDatabase();
    const message = await storeMessage(database);
    assert.equal(await database.messages.markPending(message.url), false, 'a pending message is not failed');

    await database.messages.recordAttempts([attempt(message.url, { outcome: 'gave-up', status: 400, detail: 'HTTP 400' })]);
    assert.equal((await database.messages.findById(message.id))?.status, 'failed');

    assert.equal(await database.messages.markPending(message.url), true);
    assert.equal((await database.messages.findById(message.id))?.status, 'pending');
  });
});

describe('reading the outbox', () => {
  it('pages pending messages older than the threshold, oldest first, each page after the last message seen', async () => {
    const database = await billingDatabase();
    const [oldest, older, old] = [
      await storeMessage(database, { createdAt: minutesAgo(3) }),
      await storeMessage(database, { createdAt: minutesAgo(2) }),
      await storeMessage(database, { createdAt: minutesAgo(1) }),
    ];
    const sent = await storeMessage(database, { createdAt: minutesAgo(4) });
    await database.messages.recordAttempts([attempt(sent.url)]);
    await storeMessage(database);

    const pages: string[][] = [];
    for await (const page of database.messages.pendingOlderThan(30_000, 2)) pages.push(page.map(({ id }) => id));

    // A page of 2 then a page of 1, each pending message once, none sent or too new.
    assert.deepEqual(pages, [[oldest.id, older.id], [old.id]]);
  });

  it('counts messages by status, and those sent within the window whatever their status now', async () => {
    const database = await billingDatabase();
    const [sent, delivered] = [await storeMessage(database), await storeMessage(database)];
    await storeMessage(database);
    await database.messages.recordAttempts([attempt(sent.url), attempt(delivered.url)]);
    await database.messages.recordDeliveryReport(delivered.id, delivered.url, 'delivered');

    assert.deepEqual(await database.messages.countByStatus(60), {
      byStatus: { pending: 1, sent: 1, failed: 0, delivered: 1, undeliverable: 0 },
      sentRecently: 2,
    });
  });

  it('lists the latest messages newest first, as many as asked', async () => {
    const database = await billingDatabase();
    await storeMessage(database, { createdAt: minutesAgo(3) });
    const [newer, newest] = [await storeMessage(database, { createdAt: minutesAgo(2) }), await storeMessage(database, { createdAt: minutesAgo(1) })];

    assert.deepEqual(await database.messages.latest(2), [newest, newer]);
  });
});
