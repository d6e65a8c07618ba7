import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudEvent, HTTP } from 'cloudevents';
import { AUTHENTICATION_HEADER, signedFetch, verifyAuthentication } from '@onebip/messaging';
import { ReceivedRequest, ScriptedAnswer, ScriptedReceiver, TEST_SECRET, deferredCleanups, readJson, waitFor } from '@onebip/testing';
import { DataSource } from 'typeorm';
import { PAYMENT_CREATED, SubscriptionsService } from '../src/events';
import { EventDeliveryListener } from '../src/events/event-delivery.listener';
import { EventDeliveryWorkers } from '../src/events/event-delivery.workers';
import { EventQueues } from '../src/events/event-queues';
import { UndeliveredEventSweeper } from '../src/events/undelivered-event.sweeper';
import { BillingConfig } from '../src/config/billing-config';
import { TestBilling, buildPayment, pay, startTestBilling } from './billing-app';

const defer = deferredCleanups();

async function subscriberAnswering(script: ScriptedAnswer[] = [], otherwise: ScriptedAnswer = 202): Promise<ScriptedReceiver> {
  const receiver = await ScriptedReceiver.start(script, otherwise);
  defer(() => receiver.stop());
  return receiver;
}

/** Billing whose subscribers may be on the hosts of `subscribers`; connectivity answers 202. */
async function billingFor(subscribers: ScriptedReceiver[], overrides: Parameters<typeof startTestBilling>[1] = {}): Promise<TestBilling> {
  const connectivity = await subscriberAnswering();
  const billing = await startTestBilling(connectivity.url, {
    ...overrides,
    events: { subscriberHosts: subscribers.map((subscriber) => new URL(subscriber.url).host), ...overrides.events },
  });
  defer(() => billing.close());
  return billing;
}

/** A signed call of billing's API, as a peer service makes it. */
function signed(billing: TestBilling, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return signedFetch(`${billing.url}${path}`, [TEST_SECRET], { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function subscribe(billing: TestBilling, subscriber: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await signed(billing, `/subscriptions/${subscriber}`, 'PUT', body);
  return { status: response.status, body: await readJson(response) };
}

function verifies(request: ReceivedRequest, secrets: string[]): boolean {
  const { pathname, search } = new URL(request.url, 'http://subscriber');
  const verification = verifyAuthentication(
    request.headers[AUTHENTICATION_HEADER.toLowerCase()] as string | undefined,
    { method: request.method, path: `${pathname}${search}`, body: request.body },
    secrets,
  );
  return verification.ok;
}

describe('events: billing publishes a CloudEvent to every subscriber', () => {
  it('delivers payment.created to each subscription that wants it, as a structured CloudEvent signed with the subscription’s own secret, never with MESSAGING_SECRETS', async () => {
    const ledger = await subscriberAnswering();
    const analytics = await subscriberAnswering();
    const billing = await billingFor([ledger, analytics]);
    const { body: ledgerSubscription } = await subscribe(billing, 'ledger', { url: `${ledger.url}/events`, types: [PAYMENT_CREATED] });
    const { body: analyticsSubscription } = await subscribe(billing, 'analytics', { url: `${analytics.url}/inbox` });

    const payment = await readJson(await pay(billing.url, buildPayment({ phoneNumber: '393331234567' })));

    const [delivery] = await waitFor('the ledger’s delivery', () => ledger.requests.length > 0 && ledger.requests);
    await waitFor('the analytics delivery', () => analytics.requests.length > 0);
    assert.equal(delivery.method, 'POST');
    assert.equal(delivery.url, '/events');
    assert.match(String(delivery.headers['content-type']), /^application\/cloudevents\+json/);
    const event = HTTP.toEvent({ headers: delivery.headers as Record<string, string>, body: delivery.body }) as CloudEvent<unknown> | CloudEvent<unknown>[];
    assert.ok(!Array.isArray(event) && event.validate(), 'a valid CloudEvent 1.0');
    const body = JSON.parse(delivery.body);
    assert.equal(body.specversion, '1.0');
    assert.equal(body.type, PAYMENT_CREATED);
    assert.equal(body.source, billing.config.publicUrl);
    assert.equal(body.subject, `${billing.config.publicUrl}/payments/${payment.id}`);
    assert.equal(body.datacontenttype, 'application/json');
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(body.time)));
    assert.deepEqual(body.data, { ...payment, phoneNumber: '*********567' }, 'the payment as an unsigned GET shows it, the phone number masked');
    assert.equal(analytics.requests[0].body, delivery.body, 'the same event to each subscriber');

    assert.ok(verifies(delivery, [ledgerSubscription.secret]), 'signed with the ledger’s secret');
    assert.ok(!verifies(delivery, [TEST_SECRET]), 'not with MESSAGING_SECRETS');
    assert.ok(!verifies(delivery, [analyticsSubscription.secret]), 'nor with another subscriber’s secret');
    assert.ok(verifies(analytics.requests[0], [analyticsSubscription.secret]));

    // The event is a resource at <source>/events/<id>, for peers.
    const shown = await signed(billing, `/events/${body.id}`);
    assert.equal(shown.status, 200);
    assert.match(String(shown.headers.get('content-type')), /^application\/cloudevents\+json/);
    assert.deepEqual(await shown.json(), body);
    assert.equal((await fetch(`${billing.url}/events/${body.id}`)).status, 401, 'unsigned: refused');
    const { deliveries } = await waitFor('both deliveries recorded', async () => {
      const listed = await readJson(await signed(billing, `/events/${body.id}/deliveries`));
      return listed.deliveries.every((each: { status: string }) => each.status === 'delivered') && listed;
    });
    assert.deepEqual(
      deliveries.map(({ subscriber, status, attempts }: { subscriber: string; status: string; attempts: number }) => [subscriber, status, attempts]),
      [
        ['analytics', 'delivered', 1],
        ['ledger', 'delivered', 1],
      ],
    );
  });

  it('counts 409 as delivered, and a subscriber that is down catches up by itself once it answers, each event once', async () => {
    const replaying = await subscriberAnswering([], 409);
    const down = await subscriberAnswering([503, 503, 'reset'], 202);
    const billing = await billingFor([replaying, down]);
    await subscribe(billing, 'replaying', { url: replaying.url });
    await subscribe(billing, 'down', { url: down.url });

    await readJson(await pay(billing.url));
    await readJson(await pay(billing.url));

    const ids = await waitFor(
      'both events at the replaying subscriber',
      () => replaying.requests.length >= 2 && new Set(replaying.requests.map((request) => JSON.parse(request.body).id)),
    );
    assert.equal(ids.size, 2);
    for (const id of ids) {
      const { deliveries } = await waitFor(`event ${id} delivered to both`, async () => {
        const listed = await readJson(await signed(billing, `/events/${id}/deliveries`));
        return listed.deliveries.every((each: { status: string }) => each.status === 'delivered') && listed;
      });
      assert.deepEqual(
        deliveries.map((each: { subscriber: string }) => each.subscriber),
        ['down', 'replaying'],
      );
    }
    assert.equal(replaying.requests.length, 2, '409 is delivered: no retry');
    assert.equal(down.requests.length, 5, 'three failed attempts, then one each');
    assert.equal(new Set(down.requests.slice(3).map((request) => JSON.parse(request.body).id)).size, 2);
  });
});

describe('subscriptions', () => {
  it('a new subscription answers 201 with its secret once; the same PUT again 200 without it; other values update it; the list shows no secret; DELETE ends it', async () => {
    const receiver = await subscriberAnswering();
    const billing = await billingFor([receiver]);

    const created = await subscribe(billing, 'ledger', { url: `${receiver.url}/a`, types: [PAYMENT_CREATED] });
    assert.equal(created.status, 201);
    assert.equal(typeof created.body.secret, 'string');
    assert.ok(created.body.secret.length >= 32);
    assert.deepEqual(
      {
        subscriber: created.body.subscription.subscriber,
        url: created.body.subscription.url,
        types: created.body.subscription.types,
        since: created.body.subscription.since,
      },
      { subscriber: 'ledger', url: `${receiver.url}/a`, types: [PAYMENT_CREATED], since: null },
    );

    const replayed = await subscribe(billing, 'ledger', { url: `${receiver.url}/a`, types: [PAYMENT_CREATED] });
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.secret, undefined, 'the secret is shown once');
    assert.deepEqual(replayed.body.subscription, created.body.subscription);

    const updated = await subscribe(billing, 'ledger', { url: `${receiver.url}/b` });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.secret, undefined);
    assert.equal(updated.body.subscription.url, `${receiver.url}/b`);
    assert.equal(updated.body.subscription.types, null, 'types omitted: every type');

    const listed = await readJson(await signed(billing, '/subscriptions'));
    assert.deepEqual(
      listed.subscriptions.map((each: Record<string, unknown>) => each.subscriber),
      ['ledger'],
    );
    assert.ok(!JSON.stringify(listed).includes(created.body.secret), 'no secret in the list');

    await pay(billing.url);
    const [delivery] = await waitFor('a delivery to the updated URL', () => receiver.requests.length > 0 && receiver.requests);
    assert.equal(delivery.url, '/b');

    assert.equal((await signed(billing, '/subscriptions/ledger', 'DELETE')).status, 204);
    assert.deepEqual((await readJson(await signed(billing, '/subscriptions'))).subscriptions, []);
    assert.equal((await signed(billing, '/subscriptions/ledger', 'DELETE')).status, 404);
    const before = receiver.requests.length;
    await readJson(await pay(billing.url));
    await billing.app.get(UndeliveredEventSweeper).sweepUndeliveredEvents();
    assert.equal(receiver.requests.length, before, 'an ended subscription gets nothing more');
  });

  it('refuses, 400 naming the field, a URL on a host not allowed, on billing itself, a bad name, an unknown type or a since before the retention window; nothing is stored', async () => {
    const allowed = await subscriberAnswering();
    const elsewhere = await subscriberAnswering();
    const billing = await billingFor([allowed], { events: { retentionDays: 7 } } as Parameters<typeof startTestBilling>[1]);
    const billingHost = new URL(billing.url).host;

    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['ledger', { url: `${elsewhere.url}/events` }, 'url', /not allowed/],
      // Its own port is chosen at boot here (port 0), so it is also simply not an allowed host.
      ['ledger', { url: `${billing.url}/payments` }, 'url', /billing itself|not allowed/],
      ['ledger', { url: `${billing.config.publicUrl}/payments` }, 'url', /billing itself/],
      ['ledger', { url: 'file:///etc/passwd' }, 'url', /http/],
      ['ledger', { url: `http://user:pw@${new URL(allowed.url).host}/` }, 'url', /credentials/],
      ['Not_A_Name', { url: allowed.url }, 'subscriber', /lower-case/],
      ['ledger', { url: allowed.url, types: ['com.example.unknown'] }, 'types', /one of/],
      ['ledger', { url: allowed.url, types: [] }, 'types', /at least one/],
      ['ledger', { url: allowed.url, since: 'yesterday' }, 'since', /RFC 3339/],
      ['ledger', { url: allowed.url, since: new Date(Date.now() - 8 * 86_400_000).toISOString() }, 'since', /not be earlier than \d{4}-\d{2}-\d{2}T/],
    ];
    for (const [subscriber, body, field, reason] of cases) {
      const refused = await subscribe(billing, subscriber, body);
      assert.equal(refused.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(refused.body)}`);
      assert.match(JSON.stringify(refused.body.error.fields[field]), reason, `${field} for ${JSON.stringify(body)}: ${JSON.stringify(refused.body)}`);
    }
    assert.notEqual(billingHost, new URL(allowed.url).host);
    assert.deepEqual((await readJson(await signed(billing, '/subscriptions'))).subscriptions, [], 'nothing stored');

    const unsigned = await fetch(`${billing.url}/subscriptions/ledger`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: allowed.url }),
    });
    assert.equal(unsigned.status, 401, 'only peers subscribe');
  });

  it('with since, a new subscriber receives every stored event from then on, then the new ones', async () => {
    const late = await subscriberAnswering();
    const billing = await billingFor([late]);
    const since = new Date(Date.now() - 1000).toISOString();
    const earlier = [await readJson(await pay(billing.url)), await readJson(await pay(billing.url))];

    const { status } = await subscribe(billing, 'late', { url: late.url, since });
    assert.equal(status, 201);
    await waitFor('the backfill', () => late.requests.length >= 2);
    const later = await readJson(await pay(billing.url));
    await waitFor('the new event too', () => late.requests.length >= 3);

    const subjects = late.requests.map((request) => JSON.parse(request.body).subject).sort();
    assert.deepEqual(subjects, [...earlier, later].map((payment) => `${billing.config.publicUrl}/payments/${payment.id}`).sort(), 'each event once');
    const again = await subscribe(billing, 'late', { url: late.url, since });
    assert.equal(again.status, 200);
    await billing.app.get(UndeliveredEventSweeper).sweepUndeliveredEvents();
    assert.equal(late.requests.length, 3, 'a replayed PUT backfills nothing twice');
  });

  it('a rotated secret and the one before both sign deliveries for EVENT_SECRET_OVERLAP_S', async () => {
    const receiver = await subscriberAnswering();
    const billing = await billingFor([receiver]);
    const { body: created } = await subscribe(billing, 'ledger', { url: receiver.url });

    const rotated = await signed(billing, '/subscriptions/ledger/secret', 'POST');
    assert.equal(rotated.status, 200);
    const { secret, subscription } = await readJson(rotated);
    assert.notEqual(secret, created.secret);
    assert.ok(Date.parse(subscription.previousSecretValidUntil) > Date.now() + 86_000_000);
    await new Promise((resolve) => setTimeout(resolve, billing.config.events.refreshIntervalMs * 3));

    await pay(billing.url);
    const [delivery] = await waitFor('a delivery', () => receiver.requests.length > 0 && receiver.requests);
    assert.ok(verifies(delivery, [secret]), 'the new secret signs');
    assert.ok(verifies(delivery, [created.secret]), 'the previous one still does');
    assert.equal((await signed(billing, '/subscriptions/nobody/secret', 'POST')).status, 404);
  });
});

describe('event deliveries that fail', () => {
  it('a delivery the subscriber refuses for good is a dead letter naming the subscriber; retried, it is delivered', async () => {
    const refusing = await subscriberAnswering([422], 202);
    const billing = await billingFor([refusing]);
    await subscribe(billing, 'strict', { url: refusing.url });
    await pay(billing.url);

    const [letter] = await waitFor('the dead letter', async () => {
      const { deadLetters } = await readJson(await signed(billing, '/admin/dead-letters'));
      return deadLetters.length > 0 && deadLetters;
    });
    assert.equal(letter.subscriber, 'strict');
    assert.match(letter.lastError, /HTTP 422/);
    assert.match(letter.identity, /\/events\/[0-9a-f-]{36}\/deliveries\/strict$/);
    const eventId = JSON.parse(refusing.requests[0].body).id;
    assert.equal((await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].status, 'failed');

    assert.equal((await signed(billing, `/admin/dead-letters/${letter.id}/retry`, 'POST')).status, 202);
    await waitFor(
      'the delivery made',
      async () => (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].status === 'delivered',
    );
    assert.equal(refusing.requests.length, 2);
  });

  it('the sweep sends again a delivery whose job Redis lost, once', async () => {
    const flaky = await subscriberAnswering([503], 202);
    // The retry after the 503 waits a minute: long enough to lose the job first.
    const billing = await billingFor([flaky], { delivery: { backoffFirstWaitSeconds: 60, backoffUpToSeconds: 60 } } as Parameters<typeof startTestBilling>[1]);
    await subscribe(billing, 'flaky', { url: flaky.url });
    await pay(billing.url);
    await waitFor('the first attempt', () => flaky.requests.length === 1);
    const eventId = JSON.parse(flaky.requests[0].body).id;
    await waitFor('the attempt recorded', async () => (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].attempts === 1);

    await billing.app.get(EventQueues).drop('flaky');
    assert.equal(await billing.app.get(UndeliveredEventSweeper).sweepUndeliveredEvents(), 1);

    await waitFor(
      'the delivery made',
      async () => (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].status === 'delivered',
    );
    assert.equal(flaky.requests.length, 2);
    assert.equal(await billing.app.get(UndeliveredEventSweeper).sweepUndeliveredEvents(), 0);
  });
});

describe('EVENT_SUBSCRIPTIONS', () => {
  it('declares subscriptions at boot, delivered with the declared secret', async () => {
    const receiver = await subscriberAnswering();
    const secret = 'a-declared-subscriber-secret-0123456789';
    const billing = await billingFor([receiver], {
      events: { declared: [{ subscriber: 'declared', url: `${receiver.url}/hook`, types: null, secret }] },
    } as Partial<BillingConfig> as Parameters<typeof startTestBilling>[1]);
    const { subscriptions } = await readJson(await signed(billing, '/subscriptions'));
    assert.deepEqual(
      subscriptions.map((each: { subscriber: string; url: string }) => [each.subscriber, each.url]),
      [['declared', `${receiver.url}/hook`]],
    );
    await pay(billing.url);
    const [delivery] = await waitFor('a delivery', () => receiver.requests.length > 0 && receiver.requests);
    assert.ok(verifies(delivery, [secret]));
  });

  it('refuses a declared type billing does not publish, at boot', async () => {
    const receiver = await subscriberAnswering();
    const billing = await billingFor([receiver]);
    billing.config.events.declared.push({
      subscriber: 'typo',
      url: receiver.url,
      types: ['com.onebip.billing.payment.creatd'],
      secret: 'a-declared-subscriber-secret-0123456789',
    });
    await assert.rejects(
      billing.app.get(SubscriptionsService).onApplicationBootstrap(),
      /EVENT_SUBSCRIPTIONS: subscription typo: billing publishes no com\.onebip\.billing\.payment\.creatd/,
    );
    assert.deepEqual((await readJson(await signed(billing, '/subscriptions'))).subscriptions, []);
  });
});

describe('subscriptions under change', () => {
  it('a subscription ended while payments arrive fails none of them', async () => {
    const receiver = await subscriberAnswering();
    const billing = await billingFor([receiver]);
    await subscribe(billing, 'leaving', { url: receiver.url });
    const statuses = await Promise.all([
      ...Array.from({ length: 40 }, async () => (await pay(billing.url)).status),
      (async () => (await signed(billing, '/subscriptions/leaving', 'DELETE')).status)(),
    ]);
    assert.equal(statuses.pop(), 204);
    assert.deepEqual(new Set(statuses), new Set([201]));
  });

  it('when a declared subscription’s URL changes, the sweep replaces the job still queued to the old URL, and the event reaches the new one', async () => {
    const before = await subscriberAnswering([], 503);
    const after = await subscriberAnswering();
    const secret = 'a-declared-subscriber-secret-0123456789';
    // The retry after the 503 waits a minute: the job sits delayed, naming the old URL.
    const billing = await billingFor([before, after], {
      delivery: { backoffFirstWaitSeconds: 60, backoffUpToSeconds: 60 },
      events: { declared: [{ subscriber: 'moving', url: `${before.url}/old`, types: null, secret }] },
    } as Parameters<typeof startTestBilling>[1]);
    await pay(billing.url);
    await waitFor('the attempt at the old URL', () => before.requests.length === 1);
    const eventId = JSON.parse(before.requests[0].body).id;
    await waitFor('the attempt recorded', async () => (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].attempts === 1);

    // The next deploy declares another URL.
    billing.config.events.declared[0] = { subscriber: 'moving', url: `${after.url}/new`, types: null, secret };
    await billing.app.get(SubscriptionsService).onApplicationBootstrap();
    await billing.app.get(EventDeliveryWorkers).follow();
    assert.equal(await billing.app.get(UndeliveredEventSweeper).sweepUndeliveredEvents(), 1);

    await waitFor(
      'the delivery made to the new URL',
      async () => (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries[0].status === 'delivered',
    );
    assert.deepEqual(
      after.requests.map((request) => request.url),
      ['/new'],
    );
    assert.equal(before.requests.length, 1, 'nothing more to the old URL');
  });

  it('the same PUT again answers 200 even once its since has left the retention window', async () => {
    const receiver = await subscriberAnswering();
    const billing = await billingFor([receiver]);
    const since = new Date(Date.now() - 1000).toISOString();
    assert.equal((await subscribe(billing, 'steady', { url: receiver.url, since })).status, 201);
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    await billing.app.get(DataSource).query(`UPDATE subscriptions SET since = $1 WHERE subscriber = 'steady'`, [longAgo]);

    assert.equal((await subscribe(billing, 'steady', { url: receiver.url, since: longAgo.toISOString() })).status, 200);
    assert.equal(
      (await subscribe(billing, 'steady', { url: receiver.url, since: new Date(longAgo.getTime() + 1000).toISOString() })).status,
      400,
      'a new since is held to the window',
    );
  });

  it('a worker records an attempt only on its own subscriber’s delivery, whatever a job in its queue names', async () => {
    const ledger = await subscriberAnswering([], 503);
    const other = await subscriberAnswering([], 503);
    const billing = await billingFor([ledger, other], { delivery: { backoffFirstWaitSeconds: 60, backoffUpToSeconds: 60 } } as Parameters<
      typeof startTestBilling
    >[1]);
    await subscribe(billing, 'ledger', { url: ledger.url });
    await subscribe(billing, 'other', { url: other.url });
    await pay(billing.url);
    await waitFor('both attempts', () => ledger.requests.length === 1 && other.requests.length === 1);
    const eventId = JSON.parse(ledger.requests[0].body).id;
    const otherDelivery = `${billing.config.publicUrl}/events/${eventId}/deliveries/other`;
    await waitFor('the attempts recorded', async () =>
      (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries.every((each: { attempts: number }) => each.attempts === 1),
    );

    await billing.app
      .get(EventDeliveryListener)
      .of('ledger')
      .onAttempt({ identity: otherDelivery, kind: 'event', attempt: 2, outcome: 'delivered', status: 202, detail: 'HTTP 202' });

    const deliveries = (await readJson(await signed(billing, `/events/${eventId}/deliveries`))).deliveries;
    assert.deepEqual(
      deliveries.map((each: { subscriber: string; status: string }) => [each.subscriber, each.status]),
      [
        ['ledger', 'pending'],
        ['other', 'pending'],
      ],
    );
  });

  it('answers 404, not 500, for a subscriber name no subscription can have', async () => {
    const billing = await billingFor([]);
    for (const path of ['/subscriptions/%00', '/subscriptions/%00/secret']) {
      const response = await signed(billing, path, path.endsWith('secret') ? 'POST' : 'DELETE');
      assert.equal(response.status, 404, path);
    }
    assert.equal((await subscribe(billing, '%00', { url: 'http://x:1/' })).status, 400);
  });
});
