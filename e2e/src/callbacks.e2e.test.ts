import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { TEST_SECRET, waitFor } from '@onebip/testing';
import { connectivityCopies } from './support/connectivity-database';
import { RunningSystem, SystemOptions } from './support/running-system';

let system: RunningSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});
async function start(options: SystemOptions = {}): Promise<RunningSystem> {
  system = await RunningSystem.start(options);
  return system;
}
async function messageWithStatus(running: RunningSystem, messageUrl: string, status: string, timeoutMs = 20_000) {
  return waitFor(
    `message ${messageUrl} to be ${status}`,
    async () => {
      const message = await running.billingMessage(messageUrl);
      return message.status === status && message;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

describe('delivery reports from connectivity back to billing', () => {
  it('a payment’s message ends delivered at billing, told by connectivity’s report', async () => {
    const running = await start();
    const messageUrl = await running.payForMessage();
    const delivered = await messageWithStatus(running, messageUrl, 'delivered');
    assert.ok(delivered.reportedAt, 'the report was recorded');
    const atConnectivity = await running.connectivityMessage(messageUrl);
    assert.equal(atConnectivity.status, 'delivered');
    assert.equal(atConnectivity.callback, `${messageUrl}/delivery-reports`);
  });

  it('when the carrier refuses every SMS, the message ends undeliverable and billing learns it', async () => {
    const running = await start({ carrierEnv: { CARRIER_FAILURE_RATE: '1' } });
    const messageUrl = await running.payForMessage();
    await messageWithStatus(running, messageUrl, 'undeliverable');
    assert.equal((await running.connectivityMessage(messageUrl)).status, 'undeliverable');
  });

  it('when billing is down while the report is due, the report is retried and arrives once billing is back', async () => {
    const running = await start({ separateWorker: true, carrierEnv: { CARRIER_LATENCY_MS: '1000' } });
    const messageUrl = await running.payForMessage();
    await running.billing.stop();
    await waitFor('the SMS to be delivered', async () => (await running.connectivityMessage(messageUrl))?.status === 'delivered', { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await running.billing.start();
    await messageWithStatus(running, messageUrl, 'delivered');
  });

  it('a replayed report is answered 409 and changes nothing', async () => {
    const running = await start();
    const messageUrl = await running.payForMessage();
    const delivered = await messageWithStatus(running, messageUrl, 'delivered');
    const replay = await signedFetch(`${messageUrl}/delivery-reports`, [TEST_SECRET], {
      method: 'POST',
      body: JSON.stringify({ message: messageUrl, status: 'undeliverable', at: new Date().toISOString() }),
    });
    assert.equal(replay.status, 409);
    const after = await running.billingMessage(messageUrl);
    assert.equal(after.status, 'delivered');
    assert.equal(after.reportedAt, delivered.reportedAt);
  });

  it('a report that overtakes the 202 it follows wins: the message ends delivered, and the late 409 leaves it so', async () => {
    // Connectivity's first answer to billing is lost after it committed: billing's attempt waits
    // out its timeout while the SMS goes and the report reaches billing, before any attempt is
    // recorded there. The retry then gets 409.
    const running = await start({ faults: (n) => (n === 1 ? 'drop-response' : 'none'), billingEnv: { DELIVERY_TIMEOUT_MS: '4000' } });
    const messageUrl = await running.payForMessage();
    const overtaken = await messageWithStatus(running, messageUrl, 'delivered');
    assert.equal(overtaken.attempts, 0, 'the report came before billing recorded any attempt');

    const settled = await waitFor(
      'both attempts recorded',
      async () => {
        const message = await running.billingMessage(messageUrl);
        return message.attempts === 2 && message;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    assert.equal(settled.status, 'delivered', 'a final status never moves back to sent');
    assert.equal(settled.lastAttempt, 'HTTP 409');
    assert.equal(running.faultProxy?.injected['drop-response'], 1);
  });

  it('a callback to a host not allowed is refused with 400, and nothing is stored', async () => {
    const running = await start();
    const messageUrl = `${running.billingUrl}/messages/${randomUUID()}`;
    const response = await signedFetch(`${running.connectivityUrl}/messages`, [TEST_SECRET], {
      method: 'POST',
      body: JSON.stringify({ text: 'Hello', phoneNumber: '393331234567', message: messageUrl, callback: 'http://169.254.169.254:80/latest/meta-data' }),
    });
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys(((await response.json()) as any).error.fields), ['callback']);
    assert.equal((await connectivityCopies([messageUrl])).size, 0);
  });
});
