import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, deferredCleanups, freePort, readJson, waitFor } from '@onebip/testing';
import { TestBilling, buildPayment, messageAt, pay, startTestBilling } from './billing-app';

const defer = deferredCleanups();
async function billing(...args: Parameters<typeof startTestBilling>): Promise<TestBilling> {
  const started = await startTestBilling(...args);
  defer(() => started.close());
  return started;
}
async function connectivity(...args: Parameters<typeof ScriptedReceiver.start>): Promise<ScriptedReceiver> {
  const receiver = await ScriptedReceiver.start(...args);
  defer(() => receiver.stop());
  return receiver;
}

describe('the admin pages of billing', () => {
  it('do not exist when disabled (as in production by default)', async () => {
    const { url } = await billing('http://127.0.0.1:9', { adminUi: { enabled: false } }, 'demo');
    for (const path of ['/demo', '/demo/api/state', '/admin/queues']) assert.equal((await fetch(`${url}${path}`)).status, 404, path);
  });

  it('ask for the credentials when they are set', async () => {
    const { url } = await billing(
      `http://127.0.0.1:${await freePort()}`,
      {
        adminUi: { enabled: true, credentials: { user: 'ops', password: 'a-long-password' } },
      },
      'demo',
    );
    assert.equal((await fetch(`${url}/demo/api/state`)).status, 401);
    assert.equal((await fetch(`${url}/%64emo/api/state`)).status, 401, 'percent-encoded, the same page');
    assert.equal((await fetch(`${url}/%61dmin/queues/api/queues`)).status, 401, 'percent-encoded, the same page');
    const authorization = `Basic ${Buffer.from('ops:a-long-password').toString('base64')}`;
    const state = await fetch(`${url}/demo/api/state`, { headers: { authorization } });
    assert.equal(state.status, 200);
    assert.match((await readJson(state)).chaos.unavailable, /^connectivity does not answer \(ECONNREFUSED\)/, 'nothing listens where connectivity should');
    assert.equal((await fetch(`${url}/admin/queues`, { headers: { authorization } })).status, 200);
  });

  it('of the production build are the queue dashboard alone: the demo console is not in it', async () => {
    const { url } = await billing('http://127.0.0.1:9', { adminUi: { enabled: true, credentials: { user: 'ops', password: 'a-long-password' } } });
    const authorization = `Basic ${Buffer.from('ops:a-long-password').toString('base64')}`;
    assert.equal((await fetch(`${url}/admin/queues`, { headers: { authorization } })).status, 200);
    for (const path of ['/demo', '/demo/api/state']) assert.equal((await fetch(`${url}${path}`, { headers: { authorization } })).status, 404, path);
  });
});

describe('the demo console’s state', () => {
  it('counts messages by status and shows each one’s timeline: created, the 503 with its wait, the 202', async () => {
    const receiver = await connectivity([503], 202);
    const { url } = await billing(receiver.url, { adminUi: { enabled: true } }, 'demo');
    const { message } = await readJson(await pay(url, buildPayment()));
    // Waited for through the message itself: the console's state also reads connectivity's chaos
    // switches from the receiver, and a poll before the first attempt would take its scripted 503.
    await waitFor('the message sent', async () => (await messageAt(url, message)).status === 'sent');
    const state = await readJson(await fetch(`${url}/demo/api/state`));
    assert.deepEqual(state.counters.byStatus, { pending: 0, sent: 1, failed: 0, delivered: 0, undeliverable: 0 });
    const [shown] = state.messages;
    assert.equal(shown.message, message);
    assert.deepEqual(
      shown.timeline.map(({ kind, attempt, outcome, status, retryInMs }: Record<string, unknown>) => ({ kind, attempt, outcome, status, retryInMs })),
      [
        { kind: 'created', attempt: undefined, outcome: undefined, status: undefined, retryInMs: undefined },
        { kind: 'attempt', attempt: 1, outcome: 'retrying', status: 503, retryInMs: 20 },
        { kind: 'attempt', attempt: 2, outcome: 'delivered', status: 202, retryInMs: undefined },
      ],
    );
  });

  it('shows the latest events, each with its deliveries per subscriber: status and attempts', async () => {
    const receiver = await connectivity([], 202);
    const ledger = await connectivity([503], 202);
    const { url } = await billing(receiver.url, { adminUi: { enabled: true }, events: { subscriberHosts: [new URL(ledger.url).host] } }, 'demo');
    const subscribed = await signedFetch(`${url}/subscriptions/ledger`, [TEST_SECRET], {
      method: 'PUT',
      body: JSON.stringify({ url: `${ledger.url}/events` }),
    });
    assert.equal(subscribed.status, 201);
    const payment = await readJson(await pay(url, buildPayment()));

    const [shown] = await waitFor('the event delivered, as the console shows it', async () => {
      const { events } = await readJson(await fetch(`${url}/demo/api/state`));
      return events[0]?.deliveries[0]?.status === 'delivered' && events;
    });
    assert.equal(shown.type, 'com.onebip.billing.payment.created');
    assert.equal(shown.subject, `http://billing.test/payments/${payment.id}`);
    assert.deepEqual(
      shown.deliveries.map(({ subscriber, status, attempts, lastAttempt }: Record<string, unknown>) => ({ subscriber, status, attempts, lastAttempt })),
      [{ subscriber: 'ledger', status: 'delivered', attempts: 2, lastAttempt: 'HTTP 202' }],
    );
    assert.equal(shown.data, undefined, 'the console shows where the event went, not the payment it tells of');
  });
});
