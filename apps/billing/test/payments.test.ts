import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { signedFetch, verifyAuthentication } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, freePort, readJson, waitFor, deferredCleanups } from '@onebip/testing';
import { PendingMessageSweeper } from '../src/messages/pending-message.sweeper';
import { TestBilling, buildPayment, messageAt, pay, startTestBilling } from './billing-app';

const defer = deferredCleanups();
async function connectivity(...args: Parameters<typeof ScriptedReceiver.start>): Promise<ScriptedReceiver> {
  const receiver = await ScriptedReceiver.start(...args);
  defer(() => receiver.stop());
  return receiver;
}
async function billing(...args: Parameters<typeof startTestBilling>): Promise<TestBilling> {
  const started = await startTestBilling(...args);
  defer(() => started.close());
  return started;
}

describe('POST /payments', () => {
  it('answers 201 with the payment and its message URL, and the message becomes sent once connectivity accepts it', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url);
    const response = await pay(url, buildPayment({ amount: 1299, currency: 'EUR' }));
    assert.equal(response.status, 201);
    const payment = await readJson(response);
    assert.equal(payment.amount, 1299);
    assert.equal(payment.currency, 'EUR');
    assert.match(payment.message, /^http:\/\/billing\.test\/messages\/[0-9a-f-]{36}$/);

    const sent = await waitFor('the message to be sent', async () => {
      const message = await messageAt(url, payment.message);
      return message.status === 'sent' && message;
    });
    assert.equal(sent.attempts, 1);
    assert.equal(sent.text, 'You paid 12.99 EUR');
    assert.equal(receiver.requests.length, 1);
    assert.equal(receiver.requests[0].url, '/messages');
    assert.deepEqual(JSON.parse(receiver.requests[0].body), {
      text: 'You paid 12.99 EUR',
      phoneNumber: '393331234567',
      phonenumber: '393331234567',
      message: payment.message,
      callback: `${payment.message}/delivery-reports`,
    });
    const { headers, body } = receiver.requests[0];
    const verification = verifyAuthentication(headers['x-authentication'] as string, { method: 'POST', path: '/messages', body }, [TEST_SECRET]);
    assert.deepEqual(verification, { ok: true }, 'the delivery is signed with the shared secret');
  });

  it('accepts payments while connectivity is down; their messages stay pending and record each failed attempt', async () => {
    const { url } = await billing(`http://127.0.0.1:${await freePort()}`);
    const response = await pay(url);
    assert.equal(response.status, 201);
    const { message: messageUrl } = await readJson(response);
    const pending = await waitFor('two failed attempts', async () => {
      const message = await messageAt(url, messageUrl);
      return message.attempts >= 2 && message;
    });
    assert.equal(pending.status, 'pending');
    assert.match(pending.lastAttempt, /ECONNREFUSED/);
  });

  it('marks the message failed when delivery gives up', async () => {
    const receiver = await connectivity([], 503);
    const { url } = await billing(receiver.url, { delivery: { backoffFirstWaitSeconds: 0.01, backoffUpToSeconds: 0.04 } });
    const { message: messageUrl } = await readJson(await pay(url));
    const failed = await waitFor('the message to fail', async () => {
      const message = await messageAt(url, messageUrl);
      return message.status === 'failed' && message;
    });
    assert.equal(failed.attempts, 3);
    assert.equal(failed.lastAttempt, 'HTTP 503');
    assert.equal(receiver.requests.length, 3);
  });

  for (const status of [400, 401, 422]) {
    it(`marks the message failed after one attempt when connectivity answers ${status}: retrying cannot help`, async () => {
      const receiver = await connectivity([], status);
      const { url } = await billing(receiver.url);
      const { message: messageUrl } = await readJson(await pay(url));
      const failed = await waitFor('the message to fail', async () => {
        const message = await messageAt(url, messageUrl);
        return message.status === 'failed' && message;
      });
      assert.equal(failed.attempts, 1);
      assert.equal(failed.lastAttempt, `HTTP ${status}`);
      assert.equal(receiver.requests.length, 1);
    });
  }

  it('retries a 503 until connectivity accepts', async () => {
    const receiver = await connectivity([503, 503], 202);
    const { url } = await billing(receiver.url);
    const { message: messageUrl } = await readJson(await pay(url));
    const sent = await waitFor('the message to be sent', async () => {
      const message = await messageAt(url, messageUrl);
      return message.status === 'sent' && message;
    });
    assert.equal(sent.attempts, 3);
    assert.equal(receiver.requests.length, 3);
  });

  it('sends the phone number under its new name only once MESSAGING_LEGACY_FIELDS is false (step 4 of the rename)', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url, { legacyFields: false });
    const { message: messageUrl } = await readJson(await pay(url));
    await waitFor('the delivery', () => receiver.requests.length === 1);
    assert.deepEqual(JSON.parse(receiver.requests[0].body), {
      text: 'You paid 12.99 EUR',
      phoneNumber: '393331234567',
      message: messageUrl,
      callback: `${messageUrl}/delivery-reports`,
    });
  });

  it('refuses an invalid payment with 400 naming every field at fault, storing nothing', async () => {
    const receiver = await connectivity([], 202);
    const { url, app } = await billing(receiver.url);
    const database = app.get(DataSource);
    const [{ count: before }] = await database.query('SELECT count(*)::int AS count FROM payments');
    const response = await pay(url, { phoneNumber: '12', amount: -5, currency: 'EURO' });
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys((await readJson(response)).error.fields).sort(), ['amount', 'currency', 'phoneNumber']);
    const [{ count: afterwards }] = await database.query('SELECT count(*)::int AS count FROM payments');
    assert.equal(afterwards, before);
  });

  it('formats the receipt in the currency’s own minor units', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url);
    const { message: messageUrl } = await readJson(await pay(url, buildPayment({ amount: 500, currency: 'JPY' })));
    assert.equal((await messageAt(url, messageUrl)).text, 'You paid 500 JPY');
  });
});

describe('GET /payments/:id and /messages/:id', () => {
  it('return what was stored, and 404 for what was not', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url);
    const created = await readJson(await pay(url));
    assert.deepEqual(await readJson(await signedFetch(`${url}/payments/${created.id}`, [TEST_SECRET])), created);
    const message = await readJson(await signedFetch(`${url}/messages/${created.message.split('/').pop()}`, [TEST_SECRET]));
    assert.equal(message.message, created.message);
    assert.equal(message.paymentId, created.id);
    assert.equal(message.phoneNumber, created.phoneNumber);
    assert.equal((await fetch(`${url}/payments/00000000-0000-4000-8000-000000000000`)).status, 404);
    assert.equal((await fetch(`${url}/messages/nope`)).status, 404);
  });

  it('answer 404 not_found for an id that is not a UUID, as for one that names nothing', async () => {
    const { url } = await billing(`http://127.0.0.1:${await freePort()}`);
    for (const path of ['/payments/nope', '/messages/nope', '/messages/nope/timeline']) {
      const response = await signedFetch(`${url}${path}`, [TEST_SECRET]);
      assert.equal(response.status, 404, path);
      assert.equal((await readJson(response)).error.code, 'not_found', path);
    }
    const report = await signedFetch(`${url}/messages/nope/delivery-reports`, [TEST_SECRET], {
      method: 'POST',
      body: JSON.stringify({ message: 'http://billing.test/messages/nope', status: 'delivered', at: new Date().toISOString() }),
    });
    assert.equal(report.status, 404);
    assert.equal((await readJson(report)).error.code, 'not_found');
  });

  it('show the whole phone number only to a signed request: anyone else sees its last three digits', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url);
    const created = await readJson(await pay(url, buildPayment({ phoneNumber: '+393331234567' })));
    assert.equal(created.phoneNumber, '+393331234567', 'the payer sees what they sent');
    const messagePath = `/messages/${created.message.split('/').pop()}`;
    for (const path of [`/payments/${created.id}`, messagePath, `${messagePath}/timeline`]) {
      assert.equal((await readJson(await fetch(`${url}${path}`))).phoneNumber, '+*********567', path);
      assert.equal((await readJson(await signedFetch(`${url}${path}`, [TEST_SECRET]))).phoneNumber, '+393331234567', path);
      const forged = await signedFetch(`${url}${path}`, ['not-the-secret-0123456789abcdef-0123']);
      assert.equal(forged.status, 401, `${path}: a signature that fails is refused, not read as anonymous`);
    }
  });
});

describe('delivery reports', () => {
  it('a report that arrives before billing recorded the 202 still wins: the final status never moves back', async () => {
    const port = await freePort();
    const { url } = await billing(`http://127.0.0.1:${port}`);
    const { message: messageUrl } = await readJson(await pay(url));
    const report = await signedFetch(`${url}/messages/${messageUrl.split('/').pop()}/delivery-reports`, [TEST_SECRET], {
      method: 'POST',
      body: JSON.stringify({ message: messageUrl, status: 'delivered', at: new Date().toISOString() }),
    });
    assert.equal(report.status, 202);
    assert.equal((await messageAt(url, messageUrl)).status, 'delivered');

    const receiver = await connectivity([], 202, port);
    await waitFor('the late 202 to be recorded', async () => (await messageAt(url, messageUrl)).lastAttempt === 'HTTP 202');
    assert.equal(receiver.requests.length, 1);
    assert.equal((await messageAt(url, messageUrl)).status, 'delivered');
  });

  it('refuses a report without X-Authentication, or about another message', async () => {
    const receiver = await connectivity([], 202);
    const { url } = await billing(receiver.url);
    const { message: messageUrl } = await readJson(await pay(url));
    const path = `${url}/messages/${messageUrl.split('/').pop()}/delivery-reports`;
    const body = JSON.stringify({ message: messageUrl, status: 'delivered', at: new Date().toISOString() });
    assert.equal((await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 401);
    const other = JSON.stringify({ message: `${messageUrl}0`, status: 'delivered', at: new Date().toISOString() });
    assert.equal((await signedFetch(path, [TEST_SECRET], { method: 'POST', body: other })).status, 400);
  });
});

describe('the pending-message sweep', () => {
  it('sends a message left pending without a job exactly once, however often it sweeps', async () => {
    const receiver = await connectivity([], 202);
    const { url, app } = await billing(receiver.url);
    // A payment committed by a billing that crashed before enqueueing: rows, and no job.
    const database = app.get(DataSource);
    const paymentId = '11111111-1111-4111-8111-' + Date.now().toString().padStart(12, '0').slice(-12);
    const messageId = crypto.randomUUID();
    const messageUrl = `http://billing.test/messages/${messageId}`;
    await database.query(
      `INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, 700, 'EUR', '393331234567', now() - interval '1 minute')`,
      [paymentId],
    );
    await database.query(
      `INSERT INTO messages (id, url, payment_id, text, phone_number, created_at) VALUES ($1, $2, $3, 'You paid 7.00 EUR', '393331234567', now() - interval '1 minute')`,
      [messageId, messageUrl, paymentId],
    );

    const sweeper = app.get(PendingMessageSweeper);
    const found = await Promise.all([sweeper.sweepPendingMessages(), sweeper.sweepPendingMessages()]);
    assert.ok(found[0] >= 1);
    await waitFor('the swept message to be sent', async () => (await messageAt(url, messageUrl)).status === 'sent');
    await sweeper.sweepPendingMessages();
    await sweeper.sweepPendingMessages();
    const deliveries = receiver.requests.filter((request) => JSON.parse(request.body).message === messageUrl);
    assert.equal(deliveries.length, 1);
  });

  it('leaves recent pending messages to their own jobs', async () => {
    const receiver = await connectivity(['hang'], 202);
    const { url, app } = await billing(receiver.url, { sweep: { intervalMs: 3_600_000, pendingAfterMs: 60_000 } });
    await pay(url);
    assert.equal(await app.get(PendingMessageSweeper).sweepPendingMessages(), 0);
  });
});
