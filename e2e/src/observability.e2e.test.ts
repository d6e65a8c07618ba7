import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET, readJson, waitFor } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

const TRACE_ID = '5c0a1fd3e8b94f62a7d1c0ffee15c0de';

/** The value of one series of a Prometheus text exposition, or undefined when absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let system: RunningSystem;
let messageUrl: string;
before(async () => {
  // Connectivity's first answer is lost on the way back: the retry meets a 409, counted as a duplicate.
  system = await RunningSystem.start({ faults: (n) => (n === 1 ? 'drop-response' : 'none'), billingEnv: { DELIVERY_TIMEOUT_MS: '1000' } });
  const response = await fetch(`${system.billingUrl}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-a1b2c3d4e5f60718-01` },
    body: JSON.stringify({ phoneNumber: '393331234567', amount: 500, currency: 'EUR' }),
  });
  assert.equal(response.status, 201);
  messageUrl = (await readJson(response)).message;
  // The report may overtake the lost answer: wait for both it and the retry that met the 409.
  await waitFor('the report and the second attempt', async () => {
    const message = await system.billingMessage(messageUrl);
    return message.status === 'delivered' && message.attempts === 2;
  });
  // Logs are written in batches, every 100 ms at most: wait for the last lines of the story.
  await waitFor('the last log lines', () => {
    const [billing, connectivity] = [system.billing.logLines(), system.connectivity.logLines()];
    return (
      billing.some((line) => line.route === '/messages/:id/delivery-reports') &&
      billing.some((line) => line.context === 'RequestWorker' && line.status === 409) &&
      connectivity.some((line) => line.outcome === 'duplicate') &&
      connectivity.some((line) => String(line.job).startsWith('report '))
    );
  });
});
after(() => system.stop());

describe('following one message through both services', () => {
  it('finds its log lines in billing and in connectivity by the message id', () => {
    const messageId = messageUrl.split('/').pop()!;
    const mentions = (lines: Record<string, unknown>[]) => lines.filter((line) => JSON.stringify(line).includes(messageId));
    const billing = mentions(system.billing.logLines());
    const connectivity = mentions(system.connectivity.logLines());
    assert.ok(
      billing.some((line) => String(line.msg).includes('created')),
      'billing: the message created',
    );
    assert.ok(
      billing.some((line) => line.context === 'RequestWorker' && line.status === 409),
      'billing: the attempt that met a 409',
    );
    assert.ok(
      billing.some((line) => line.route === '/messages/:id/delivery-reports' && line.status === 202),
      'billing: the delivery report received',
    );
    assert.ok(
      connectivity.some((line) => line.outcome === 'accepted'),
      'connectivity: the message stored',
    );
    assert.ok(
      connectivity.some((line) => line.outcome === 'duplicate'),
      'connectivity: the replay',
    );
    assert.ok(
      connectivity.some((line) => String(line.job).startsWith('report ')),
      'connectivity: the report sent',
    );
  });

  it('carries the caller’s trace-id from billing’s request through the job into connectivity and back', () => {
    const traced = (lines: Record<string, unknown>[]) => lines.filter((line) => line.correlationId === TRACE_ID);
    const billing = traced(system.billing.logLines());
    const connectivity = traced(system.connectivity.logLines());
    assert.ok(
      billing.some((line) => line.route === '/payments' && line.status === 201),
      'the payment request',
    );
    assert.ok(
      billing.some((line) => line.context === 'RequestWorker'),
      'the delivery attempts, run later by the worker',
    );
    assert.ok(
      connectivity.some((line) => line.route === '/messages' && line.status === 202),
      'connectivity’s incoming request',
    );
    assert.ok(
      connectivity.some((line) => String(line.job).startsWith('sms ')),
      'the SMS job connectivity queued',
    );
    assert.ok(
      billing.some((line) => line.route === '/messages/:id/delivery-reports'),
      'the report back to billing',
    );
  });

  it('writes no shared secret and no signature to either log', async () => {
    for (const service of [system.billing, system.connectivity]) {
      const text = JSON.stringify(service.logLines());
      assert.ok(text.length > 1000, 'there are logs to search');
      assert.ok(!text.includes(TEST_SECRET), `${service.logFile} holds the secret`);
      assert.doesNotMatch(text, /v1=[0-9a-f]{16}/, `${service.logFile} holds a signature`);
    }
  });
});

describe('metrics', () => {
  it('billing counts the accepted and the duplicate attempt, the retry, the latency, its queue and its HTTP requests', async () => {
    const metrics = await (await fetch(`${system.billingUrl}/metrics`)).text();
    const queue = 'queue="billing-requests"';
    assert.equal(sample(metrics, `messaging_delivery_attempts_total{${queue},outcome="duplicate"}`), 1);
    assert.ok((sample(metrics, `messaging_delivery_attempts_total{${queue},outcome="transient_failure"}`) ?? 0) >= 1);
    assert.ok((sample(metrics, `messaging_delivery_retries_total{${queue}}`) ?? 0) >= 1);
    assert.equal(sample(metrics, `messaging_delivery_latency_seconds_count{${queue}}`), 1);
    for (const state of ['waiting', 'delayed', 'active', 'failed']) {
      assert.equal(sample(metrics, `messaging_queue_jobs{${queue},state="${state}"}`), 0, state);
    }
    assert.equal(sample(metrics, 'http_request_duration_seconds_count{method="POST",route="/payments",status="201"}'), 1);
  });

  it('connectivity counts its SMS and report attempts and its HTTP requests by status', async () => {
    const metrics = await (await fetch(`${system.connectivityUrl}/metrics`)).text();
    assert.ok((sample(metrics, 'messaging_delivery_attempts_total{queue="connectivity-requests",outcome="accepted"}') ?? 0) >= 2, 'the SMS and the report');
    assert.equal(sample(metrics, 'http_request_duration_seconds_count{method="POST",route="/messages",status="202"}'), 1);
    assert.equal(sample(metrics, 'http_request_duration_seconds_count{method="POST",route="/messages",status="409"}'), 1);
  });
});

describe('the queue dashboard', () => {
  it('shows each app’s queue at /admin/queues', async () => {
    for (const [url, queue] of [
      [system.billingUrl, 'billing-requests'],
      [system.connectivityUrl, 'connectivity-requests'],
    ]) {
      const page = await fetch(`${url}/admin/queues`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>Bull Dashboard<\/title>/);
      const { queues } = await readJson(await fetch(`${url}/admin/queues/api/queues`));
      assert.deepEqual(
        queues.map((entry: { name: string }) => entry.name),
        [queue],
      );
    }
  });
});
