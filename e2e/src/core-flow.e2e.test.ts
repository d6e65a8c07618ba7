import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { readJson, waitFor } from '@onebip/testing';
import { connectivityCopies } from './support/connectivity-database';
import { ACKNOWLEDGED, RunningSystem } from './support/running-system';

let system: RunningSystem;
before(async () => {
  system = await RunningSystem.start();
});
after(() => system.stop());

describe('billing and connectivity, as built and run', () => {
  it('a payment’s message is acknowledged at billing and stored once at connectivity', async () => {
    const response = await system.pay();
    assert.equal(response.status, 201);
    const { message: messageUrl } = await readJson(response);
    assert.ok(messageUrl.startsWith(`${system.billingUrl}/messages/`));

    const sent = await waitFor('the message to be acknowledged', async () => {
      const message = await system.billingMessage(messageUrl);
      return ACKNOWLEDGED.includes(message.status) && message;
    });
    assert.equal(sent.attempts, 1);
    const stored = await system.connectivityMessage(messageUrl);
    assert.equal(stored.text, 'You paid 12.99 EUR');
    assert.equal(stored.phoneNumber, '393331234567');
    assert.deepEqual([...(await connectivityCopies([messageUrl])).values()], [1]);
  });

  it('while connectivity is down billing takes payments; once it is back the backlog is delivered, nothing lost, nothing doubled', async () => {
    assert.equal(await system.connectivity.stop(), 0, 'connectivity exits 0 on SIGTERM');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => system.pay({ phoneNumber: '393331234567', amount: 100 + index, currency: 'EUR' })),
    );
    assert.deepEqual(new Set(responses.map((response) => response.status)), new Set([201]));
    const messageUrls: string[] = await Promise.all(responses.map(async (response) => (await readJson(response)).message));
    await waitFor('failed attempts against the stopped connectivity', async () => (await system.billingMessage(messageUrls[0])).attempts >= 1);
    for (const url of messageUrls) assert.equal((await system.billingMessage(url)).status, 'pending');

    await system.connectivity.start();
    await waitFor(
      'every message of the backlog to be sent',
      async () => (await Promise.all(messageUrls.map((url) => system.billingMessage(url)))).every((message) => ACKNOWLEDGED.includes(message.status)),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const stored = await connectivityCopies(messageUrls);
    assert.equal(stored.size, messageUrls.length, 'every message reached connectivity');
    assert.ok(
      [...stored.values()].every((count) => count === 1),
      'no message was stored twice',
    );
  });
});

describe('configuration', () => {
  it('a malformed variable stops the app at boot with a message naming it', () => {
    const result = spawnSync(process.execPath, ['dist/apps/billing/main.js'], {
      env: { PATH: process.env.PATH, PORT: 'eighty', REDIS_URL: 'http://not-redis', CONNECTIVITY_URL: 'nowhere' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /PORT must be a whole number/);
    assert.match(result.stderr, /REDIS_URL must be a redis: or rediss: URL/);
    assert.match(result.stderr, /CONNECTIVITY_URL must be an absolute URL/);
  });
});
