import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ConfigError, readDemoConfig } from '@onebip/platform';
import { TEST_SECRET } from '@onebip/testing';
import { readConnectivityConfig } from '../src/config/connectivity-config';
import { TestConnectivity, buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

let connectivity: TestConnectivity;
before(async () => {
  connectivity = await startTestConnectivity({}, undefined, 'demo');
});
after(() => connectivity.close());

const switchTo = async (settings: Record<string, unknown>) => {
  const response = await signedFetch(`${connectivity.url}/admin/chaos`, [TEST_SECRET], { method: 'PUT', body: JSON.stringify(settings) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
};
/** The status of a delivery, or the network error that took its place. */
const deliver = async (message: Record<string, unknown>) => {
  try {
    return (await postJson(`${connectivity.url}/messages`, message)).status;
  } catch (error) {
    return `no answer (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
  }
};
const isStored = async (messageUrl: string) => (await getSigned(`${connectivity.url}/messages?message=${encodeURIComponent(messageUrl)}`)).status === 200;

describe('the chaos switches of connectivity', () => {
  after(() => switchTo({}));

  it('drops the answer after storing: the replay meets a 409', async () => {
    await switchTo({ dropResponses: true });
    const message = buildMessage();
    assert.match(String(await deliver(message)), /^no answer/);
    assert.equal(await isStored(message.message), true, 'stored although the sender heard nothing');
    await switchTo({});
    assert.equal(await deliver(message), 409);
  });

  it('when down, resets every delivery and stores nothing', async () => {
    await switchTo({ down: true });
    const message = buildMessage();
    assert.match(String(await deliver(message)), /^no answer/);
    await switchTo({});
    assert.equal(await isStored(message.message), false);
    assert.equal(await deliver(message), 202);
  });

  it('answers 503 at the rate set, without storing', async () => {
    await switchTo({ unavailableRate: 1 });
    const message = buildMessage();
    assert.equal(await deliver(message), 503);
    await switchTo({});
    assert.equal(await isStored(message.message), false);
  });

  it('holds each delivery for the delay set', async () => {
    await switchTo({ delayMs: 300 });
    const started = Date.now();
    assert.equal(await deliver(buildMessage()), 202);
    assert.ok(Date.now() - started >= 290, 'the delivery waited');
  });

  it('leaves other routes alone, and a field left out is switched off', async () => {
    await switchTo({ down: true, dropResponses: true });
    assert.equal((await fetch(`${connectivity.url}/health/live`)).status, 200);
    assert.deepEqual(await switchTo({ delayMs: 10 }), { down: false, delayMs: 10, unavailableRate: 0, dropResponses: false });
  });

  it('refuses unsigned and malformed settings', async () => {
    assert.equal((await fetch(`${connectivity.url}/admin/chaos`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
    const malformed = await signedFetch(`${connectivity.url}/admin/chaos`, [TEST_SECRET], { method: 'PUT', body: JSON.stringify({ unavailableRate: 2 }) });
    assert.equal(malformed.status, 400);
  });
});

describe('the production build', () => {
  it('has no switches', async () => {
    const plain = await startTestConnectivity();
    try {
      assert.equal((await signedFetch(`${plain.url}/admin/chaos`, [TEST_SECRET])).status, 404);
    } finally {
      await plain.close();
    }
  });
});

describe('the demo build', () => {
  it('refuses to boot in production, whatever else the environment says', () => {
    assert.throws(
      () =>
        readDemoConfig(readConnectivityConfig, {
          NODE_ENV: 'production',
          MESSAGING_SECRETS: 'x'.repeat(32),
          CALLBACK_ALLOWED_HOSTS: 'billing:3001',
          SMS_GATEWAY_URL: 'https://sms.example/v1',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /this is a demo build, refused with NODE_ENV=production/);
        return true;
      },
    );
  });
});
