import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, readJson, waitFor, deferredCleanups } from '@onebip/testing';
import { TestBilling, messageAt, pay, startTestBilling } from './billing-app';

const defer = deferredCleanups();
async function setUp(script: number[]): Promise<{ receiver: ScriptedReceiver; billing: TestBilling }> {
  const receiver = await ScriptedReceiver.start(script, 202);
  const billing = await startTestBilling(receiver.url);
  defer(() => receiver.stop());
  defer(() => billing.close());
  return { receiver, billing };
}
const admin = (billing: TestBilling, path: string, method = 'GET') => signedFetch(`${billing.url}/admin/dead-letters${path}`, [TEST_SECRET], { method });
async function failedMessage(billing: TestBilling): Promise<string> {
  const { message } = await readJson(await pay(billing.url));
  await waitFor('the message to fail', async () => (await messageAt(billing.url, message)).status === 'failed');
  return message;
}

describe('dead letters', () => {
  it('lists each failed delivery with its id, message URL, last error and attempts', async () => {
    const { billing } = await setUp([422]);
    const messageUrl = await failedMessage(billing);
    const { deadLetters } = await readJson(await admin(billing, ''));
    const letter = deadLetters.find((entry: { identity: string }) => entry.identity === messageUrl);
    assert.ok(letter, 'the failed message is a dead letter');
    assert.match(letter.id, /^rj-/);
    assert.match(letter.lastError, /HTTP 422/);
    assert.equal(letter.attempts, 1);
  });

  it('sends one again: its message goes back to pending, then sent', async () => {
    const { billing, receiver } = await setUp([422]);
    const messageUrl = await failedMessage(billing);
    const { deadLetters } = await readJson(await admin(billing, ''));
    const response = await admin(billing, `/${deadLetters[0].id}/retry`, 'POST');
    assert.equal(response.status, 202);
    const sent = await waitFor('the retried message to be sent', async () => {
      const message = await messageAt(billing.url, messageUrl);
      return message.status === 'sent' && message;
    });
    assert.equal(sent.attempts, 2);
    assert.equal(receiver.requests.length, 2);
    assert.deepEqual((await readJson(await admin(billing, ''))).deadLetters, []);
  });

  it('sends them all again', async () => {
    const { billing } = await setUp([400, 400, 400]);
    const messageUrls = [await failedMessage(billing), await failedMessage(billing), await failedMessage(billing)];
    const { retried } = await readJson(await admin(billing, '/retry-all', 'POST'));
    assert.equal(retried.length, 3);
    await waitFor('all to be sent', async () => (await Promise.all(messageUrls.map((url) => messageAt(billing.url, url)))).every((m) => m.status === 'sent'));
  });

  it('answers 404 for an unknown dead letter and 401 without X-Authentication', async () => {
    const { billing } = await setUp([]);
    assert.equal((await admin(billing, '/rj-nothing/retry', 'POST')).status, 404);
    assert.equal((await fetch(`${billing.url}/admin/dead-letters`)).status, 401);
    assert.equal((await fetch(`${billing.url}/admin/dead-letters/retry-all`, { method: 'POST' })).status, 401);
  });
});
