import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScriptedReceiver, deferredCleanups, deleteRedisKeys, readJson, scratchDatabase, testRedisUrl, uniquePrefix, waitFor } from '@onebip/testing';
import { UnsentSmsSweeper } from '../src/sms/unsent-sms.sweeper';
import { TestConnectivity, buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

const defer = deferredCleanups();
async function connectivity(...args: Parameters<typeof startTestConnectivity>): Promise<TestConnectivity> {
  const started = await startTestConnectivity(...args);
  defer(() => started.close());
  return started;
}

describe('the SMS sweep', () => {
  it('sends the SMS of a message whose job Redis lost, once, and the message ends delivered', async () => {
    // A database of its own: the sweep takes every accepted message it holds.
    const database = scratchDatabase('connectivity');
    defer(() => database.drop());
    const queuePrefix = uniquePrefix('sms-sweep');
    defer(() => deleteRedisKeys(testRedisUrl(), queuePrefix));
    const carrier = await ScriptedReceiver.start([], 202);
    defer(() => carrier.stop());

    // An API-only replica takes the message and queues its SMS job; no worker runs yet.
    const api = await connectivity({ role: 'api', databaseUrl: database.url, queuePrefix }, carrier);
    const message = buildMessage();
    assert.equal((await postJson(`${api.url}/messages`, message)).status, 202);
    // Redis loses the job (no persistence, a failover).
    await deleteRedisKeys(testRedisUrl(), queuePrefix);

    const worker = await connectivity({ role: 'worker', databaseUrl: database.url, queuePrefix }, carrier);
    const sweeper = worker.app.get(UnsentSmsSweeper);
    assert.equal(await sweeper.sweepUnsentSms(), 1, 'the accepted message is found');
    // A second sweep while the job exists sends it again under the same id: the queue adds nothing.
    await sweeper.sweepUnsentSms();
    await waitFor('the message delivered', async () => {
      const body = await readJson(await getSigned(`${api.url}/messages?message=${encodeURIComponent(message.message)}`));
      return body.status === 'delivered';
    });
    assert.equal(carrier.requests.length, 1, 'the carrier got the SMS once');
    assert.equal(await sweeper.sweepUnsentSms(), 0, 'nothing left to sweep');
  });
});
