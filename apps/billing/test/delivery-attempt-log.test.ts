import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deferredCleanups, freePort, readJson } from '@onebip/testing';
import { MessagesService } from '../src/messages/messages.service';
import { buildPayment, messageAt, pay, startTestBilling } from './billing-app';

const defer = deferredCleanups();

describe('recording delivery attempts', () => {
  it('records attempts reported together, each on its own message and timeline, a repeated message’s in order', async () => {
    // An API-only billing: no worker reports attempts but the test.
    const billing = await startTestBilling(`http://127.0.0.1:${await freePort()}`, { role: 'api' });
    defer(() => billing.close());
    const urls: string[] = [];
    for (let index = 0; index < 20; index += 1) urls.push((await readJson(await pay(billing.url, buildPayment()))).message);
    const messages = billing.app.get(MessagesService);

    await Promise.all([
      ...urls.map((identity, index) =>
        messages.recordAttempt({
          identity,
          attempt: 1,
          outcome: index % 2 ? 'delivered' : 'retrying',
          status: index % 2 ? 202 : 503,
          detail: index % 2 ? 'HTTP 202' : 'HTTP 503',
          retryInMs: index % 2 ? undefined : 5000,
        }),
      ),
      // The same message twice in one turn: both attempts count, in order.
      messages.recordAttempt({ identity: urls[0], attempt: 2, outcome: 'delivered', status: 409, detail: 'HTTP 409' }),
    ]);

    for (const [index, url] of urls.entries()) {
      const message = await messageAt(billing.url, url);
      const expected =
        index === 0
          ? { status: 'sent', attempts: 2, lastAttempt: 'HTTP 409' }
          : index % 2
            ? { status: 'sent', attempts: 1, lastAttempt: 'HTTP 202' }
            : { status: 'pending', attempts: 1, lastAttempt: 'HTTP 503' };
      assert.deepEqual({ status: message.status, attempts: message.attempts, lastAttempt: message.lastAttempt }, expected, url);
    }
    const { timeline } = await readJson(await fetch(`${billing.url}/messages/${urls[0].split('/').pop()}/timeline`));
    assert.deepEqual(
      timeline.map((step: Record<string, unknown>) => [step.kind, step.attempt, step.status, step.retryInMs]),
      [
        ['created', undefined, undefined, undefined],
        ['attempt', 1, 503, 5000],
        ['attempt', 2, 409, undefined],
      ],
    );
  });

  it('fails only the attempt that cannot be stored when others are written with it', async () => {
    const billing = await startTestBilling(`http://127.0.0.1:${await freePort()}`, { role: 'api' });
    defer(() => billing.close());
    const [good, bad] = [(await readJson(await pay(billing.url, buildPayment()))).message, (await readJson(await pay(billing.url, buildPayment()))).message];
    const messages = billing.app.get(MessagesService);
    const [stored, refused] = await Promise.allSettled([
      messages.recordAttempt({ identity: good, attempt: 1, outcome: 'delivered', status: 202, detail: 'HTTP 202' }),
      // PostgreSQL refuses a NUL character in text.
      messages.recordAttempt({ identity: bad, attempt: 1, outcome: 'retrying', status: 503, detail: 'HTTP 503 \u0000', retryInMs: 20 }),
    ]);
    assert.equal(stored.status, 'fulfilled');
    assert.equal(refused.status, 'rejected');
    assert.equal((await messageAt(billing.url, good)).status, 'sent');
    assert.equal((await messageAt(billing.url, bad)).attempts, 0, 'nothing half-written');
  });
});
