import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, deferredCleanups, readJson, waitFor } from '@onebip/testing';
import { startTestBilling } from './billing-app';

// The promise for events: no subscriber can slow another, or billing's own messages. The
// proof here is structural, not timed: a subscriber that never answers within the delivery timeout
// holds every worker slot of its own queue for the whole burst, and still the other subscriber and
// connectivity get every delivery of the burst. On one shared queue they would wait behind its
// hung attempts. How much latency a slow subscriber costs the others is measured by `npm run bench`
// (docs/performance.md), not asserted here.

const defer = deferredCleanups();
const CONCURRENCY = 2;
const BURST = 10 * CONCURRENCY * 2;

async function receiver(answer: 'hang' | number): Promise<ScriptedReceiver> {
  const started = await ScriptedReceiver.start([], answer);
  defer(() => started.stop());
  return started;
}

describe('a slow subscriber', () => {
  it(`holds only its own worker slots: during a burst of ${BURST} payments (10× the worker concurrency and more) that it never answers in time, the other subscriber and connectivity get every delivery`, async () => {
    const connectivity = await receiver(202);
    const fast = await receiver(202);
    const slow = await receiver('hang');
    const billing = await startTestBilling(connectivity.url, {
      // The slow subscriber's attempts would time out only after the test.
      delivery: { requestTimeoutMs: 60_000 },
      events: { subscriberHosts: [new URL(fast.url).host, new URL(slow.url).host], concurrency: CONCURRENCY },
    });
    defer(() => billing.close());
    // Stopping the slow subscriber first ends its hung attempts, so billing closes at once.
    defer(() => slow.stop());
    for (const [subscriber, url] of [
      ['slow', slow.url],
      ['fast', fast.url],
    ]) {
      const response = await signedFetch(`${billing.url}/subscriptions/${subscriber}`, [TEST_SECRET], { method: 'PUT', body: JSON.stringify({ url }) });
      assert.equal(response.status, 201);
    }

    const payments = await Promise.all(
      Array.from({ length: BURST }, async () =>
        readJson(
          await fetch(`${billing.url}/payments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ phoneNumber: '393331234567', amount: 100, currency: 'EUR' }),
          }),
        ),
      ),
    );

    await waitFor('every event at the fast subscriber', () => new Set(fast.requests.map((request) => JSON.parse(request.body).subject)).size === BURST);
    await waitFor('every message at connectivity', () => new Set(connectivity.requests.map((request) => JSON.parse(request.body).message)).size === BURST);
    assert.deepEqual(
      new Set(fast.requests.map((request) => JSON.parse(request.body).subject)),
      new Set(payments.map((payment) => `${billing.config.publicUrl}/payments/${payment.id}`)),
    );
    assert.equal(slow.requests.length, CONCURRENCY, 'the slow subscriber holds its own slots, each attempt still waiting for its answer');
    const latencies = fast.requests.map((request) => request.receivedAt - Date.parse(JSON.parse(request.body).time)).sort((a, b) => a - b);
    // For the reader of the log; the measured comparison is the benchmark's.
    console.log(
      `fast subscriber beside a hung one: ${BURST} events, p50 ${latencies[Math.floor(BURST / 2)]} ms, max ${latencies[BURST - 1]} ms after the payment`,
    );
  });
});
