import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, readJson, waitFor } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

/**
 * One message, one identity (docs/protocol.md): connectivity, as built, takes a message once
 * however its URL is spelt, and sends one SMS for it.
 */
let system: RunningSystem;
let carrier: ScriptedReceiver;
before(async () => {
  carrier = await ScriptedReceiver.start([], 202);
  system = await RunningSystem.start({ connectivityEnv: { SMS_GATEWAY_URL: `${carrier.url}/sms` } });
});
after(async () => {
  await system?.stop();
  await carrier?.stop();
});

function send(message: string): Promise<Response> {
  return signedFetch(`${system.connectivityUrl}/messages`, [TEST_SECRET], {
    method: 'POST',
    body: JSON.stringify({ text: 'You paid 12.99 EUR', phoneNumber: '393331234567', message }),
  });
}

describe('a message URL, however it is spelt', () => {
  it('is one message: the first spelling 202, each respelling 409 with the same Location, one SMS in all; a fragment 400', async () => {
    const name = `canon-${randomUUID()}`;
    const first = await send(`http://127.0.0.1:4121/messages/${name}`);
    assert.equal(first.status, 202);
    const location = first.headers.get('location');
    assert.ok(location);

    for (const respelling of [
      `HTTP://127.0.0.1:4121/messages/${name}`,
      `http://127.0.0.1:4121/messages/./${name}`,
      `http://127.0.0.1:4121/messages/%63${name.slice(1)}`,
    ]) {
      const replay = await send(respelling);
      assert.equal(replay.status, 409, respelling);
      assert.equal(replay.headers.get('location'), location, `${respelling}: the first message's Location`);
    }
    const fragment = await send(`http://127.0.0.1:4121/messages/${name}#x`);
    assert.equal(fragment.status, 400);
    assert.match((await readJson(fragment)).error.fields.message[0], /fragment/);

    await waitFor('the SMS to be sent', () => carrier.requests.length >= 1);
    await waitFor('the message to be final', async () => (await system.connectivityMessage(`http://127.0.0.1:4121/messages/${name}`))?.status === 'delivered');
    assert.equal(carrier.requests.filter((request) => request.body.includes(name)).length, 1, 'one SMS for all the spellings');

    const found = await readJson(
      await signedFetch(`${system.connectivityUrl}/messages?message=${encodeURIComponent(`HTTP://127.0.0.1:4121/messages/./${name}`)}`, [TEST_SECRET]),
    );
    assert.equal(found.message, `http://127.0.0.1:4121/messages/${name}`, 'found by another spelling, shown as first received');
  });
});
