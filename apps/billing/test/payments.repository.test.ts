import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deferredCleanups } from '@onebip/testing';
import { TestBillingDatabase, buildPaymentCreated, buildPaymentWithMessage, openBillingDatabase, storeMessage } from './billing-database';

const defer = deferredCleanups();
async function billingDatabase(): Promise<TestBillingDatabase> {
  const database = await openBillingDatabase();
  defer(() => database.close());
  return database;
}

describe('storing a payment with its message', () => {
  it('stores the payment, its message, the message’s created step and the payment’s event in one statement, without BEGIN or COMMIT', async () => {
    const database = await billingDatabase();
    const { payment, message } = buildPaymentWithMessage({ payment: { amount: 500, currency: 'JPY', createdAt: new Date('2026-12-01T10:00:00Z') } });
    const event = buildPaymentCreated(payment);

    const { statements, result: deliveries } = await database.statementsOf(() =>
      database.payments.insertWithOutbox(payment, database.messages.outboxEntry(message), database.events.entry(event)),
    );

    assert.equal(statements.length, 1, statements.join('\n'));
    assert.deepEqual(await database.payments.findById(payment.id), payment);
    assert.deepEqual(await database.messages.findByPaymentId(payment.id), message);
    assert.deepEqual(await database.events.findById(event.id), event);
    assert.deepEqual(deliveries, [], 'no subscription, no delivery');
    const timeline = (await database.messages.timelines([message.id])).get(message.id)!;
    assert.deepEqual(
      timeline.map(({ kind, at }) => ({ kind, at })),
      [{ kind: 'created', at: payment.createdAt }],
    );
  });

  it('stores neither when the message cannot be stored', async () => {
    const database = await billingDatabase();
    const taken = await storeMessage(database);
    const { payment, message } = buildPaymentWithMessage({ message: { url: taken.url } });

    const event = buildPaymentCreated(payment);

    await assert.rejects(database.payments.insertWithOutbox(payment, database.messages.outboxEntry(message), database.events.entry(event)), /messages_url/);

    assert.equal(await database.payments.findById(payment.id), null);
    assert.equal(await database.messages.findById(message.id), null);
    assert.equal(await database.events.findById(event.id), null, 'nor its event');
  });

  it('finds no payment for an id that names none', async () => {
    const database = await billingDatabase();
    assert.equal(await database.payments.findById('00000000-0000-4000-8000-000000000000'), null);
  });
});
