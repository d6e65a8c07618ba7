import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '@onebip/testing';
import { connectivityCopies } from './support/connectivity-database';
import { ACKNOWLEDGED, RunningSystem, SystemOptions } from './support/running-system';

let system: RunningSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});
async function start(options: SystemOptions): Promise<RunningSystem> {
  system = await RunningSystem.start(options);
  return system;
}
/** Waits until connectivity has acknowledged the message: sent, or already reported on. */
async function sentMessage(running: RunningSystem, messageUrl: string, timeoutMs = 30_000) {
  return waitFor(
    `message ${messageUrl} to be acknowledged`,
    async () => {
      const message = await running.billingMessage(messageUrl);
      return ACKNOWLEDGED.includes(message.status) && message;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

describe('partial failure between billing and connectivity', () => {
  it('when the answer is lost after connectivity stored the message, the attempt times out, the retry gets 409, and the message is sent', async () => {
    const running = await start({ faults: (n) => (n === 1 ? 'drop-response' : 'none'), billingEnv: { DELIVERY_TIMEOUT_MS: '500' } });
    const messageUrl = await running.payForMessage();
    // Connectivity may report the SMS delivered before billing records its own retry: wait for that.
    const sent = await waitFor('the retry to be recorded', async () => {
      const message = await running.billingMessage(messageUrl);
      return message.lastAttempt === 'HTTP 409' && message;
    });
    assert.ok(ACKNOWLEDGED.includes(sent.status));
    assert.equal(sent.attempts, 2);
    assert.equal(sent.lastAttempt, 'HTTP 409');
    assert.deepEqual(Object.fromEntries(running.faultProxy!.upstreamStatuses), { 202: 1, 409: 1 });
    assert.deepEqual([...(await connectivityCopies([messageUrl])).values()], [1]);
  });

  it('a worker SIGKILLed mid-request leaves a stalled job that the restarted worker runs again; 409 absorbs the repeat', async () => {
    const running = await start({ separateWorker: true, faults: (n) => (n === 1 ? 'drop-response' : 'none'), billingEnv: { DELIVERY_TIMEOUT_MS: '1500' } });
    const messageUrl = await running.payForMessage();
    await waitFor('connectivity to store the message', () => running.faultProxy!.upstreamStatuses.get(202) === 1);
    await running.worker!.kill();
    await running.worker!.start();
    const sent = await waitFor(
      'the stalled job to run again and get 409',
      async () => {
        const message = await running.billingMessage(messageUrl);
        return message.lastAttempt === 'HTTP 409' && message;
      },
      { timeoutMs: 40_000, intervalMs: 100 },
    );
    assert.ok(ACKNOWLEDGED.includes(sent.status));
    assert.deepEqual([...(await connectivityCopies([messageUrl])).values()], [1]);
  });

  it('on SIGTERM a worker lets the request in flight finish, records it, and exits 0', async () => {
    const running = await start({ separateWorker: true, faults: (n) => (n === 1 ? 'delay' : 'none'), faultDelayMs: 1500 });
    const messageUrl = await running.payForMessage();
    await waitFor('the delayed request to be in flight', () => running.faultProxy!.injected.delay === 1);
    assert.equal(await running.worker!.stop(), 0);
    const message = await running.billingMessage(messageUrl);
    assert.ok(ACKNOWLEDGED.includes(message.status), `the attempt in flight was finished and recorded before the exit (${message.status})`);
    assert.equal(message.attempts, 1);
  });

  it('when Redis loses everything, the sweep puts every pending message back, and each is delivered once', async () => {
    const running = await start({ billingEnv: { SWEEP_INTERVAL_MS: '300', SWEEP_PENDING_AFTER_MS: '1000' } });
    await running.connectivity.stop();
    const messageUrls = await Promise.all(Array.from({ length: 20 }, (_, index) => running.payForMessage(100 + index)));
    await waitFor('failed attempts', async () => (await running.billingMessage(messageUrls[0])).attempts >= 1);
    assert.ok((await running.loseRedisData()) > 0, 'the queued jobs were in Redis, and are gone');
    await running.connectivity.start();
    for (const messageUrl of messageUrls) await sentMessage(running, messageUrl);
    const copies = await connectivityCopies(messageUrls);
    assert.equal(copies.size, messageUrls.length);
    assert.ok([...copies.values()].every((count) => count === 1));
  });

  it('an API process only queues; a worker process, scaled apart, delivers', async () => {
    const running = await start({ separateWorker: true });
    await running.worker!.stop();
    const messageUrl = await running.payForMessage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const queued = await running.billingMessage(messageUrl);
    assert.deepEqual([queued.status, queued.attempts], ['pending', 0], 'the API process delivers nothing');
    await running.worker!.start();
    await sentMessage(running, messageUrl);
  });
});
