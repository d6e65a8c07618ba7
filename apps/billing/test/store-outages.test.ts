import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { ScriptedReceiver, TcpProxy, readJson, scratchDatabase, testRedisUrl, waitFor } from '@onebip/testing';
import { TestBilling, messageAt, pay, startTestBilling } from './billing-app';

const cleanups: (() => Promise<void>)[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  // A test that failed mid-outage leaves its proxy cut: restore it, so the apps close normally.
  for (const proxy of proxies.splice(0)) proxy.restore();
  while (cleanups.length > 0) await cleanups.pop()!();
});
async function proxyTo(url: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(url);
  const proxy = await TcpProxy.start({ host: hostname, port: Number(port) });
  proxies.push(proxy);
  cleanups.push(() => proxy.stop());
  return proxy;
}
async function billing(...args: Parameters<typeof startTestBilling>): Promise<TestBilling> {
  const started = await startTestBilling(...args);
  cleanups.push(() => started.close());
  return started;
}
async function connectivity(): Promise<ScriptedReceiver> {
  const receiver = await ScriptedReceiver.start([], 202);
  cleanups.push(() => receiver.stop());
  return receiver;
}

describe('when PostgreSQL goes away', () => {
  it('billing answers 503 with a JSON error, stays up, and takes payments again once it is back', async () => {
    const receiver = await connectivity();
    const database = scratchDatabase('billing');
    cleanups.push(() => database.drop());
    const postgres = await proxyTo(database.url);
    const { url, app } = await billing(receiver.url, { databaseUrl: postgres.in(database.url) });
    assert.equal((await pay(url)).status, 201);

    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    postgres.cut();
    const notReady = await fetch(`${url}/health/ready`);
    assert.equal(notReady.status, 503);
    assert.equal((await readJson(notReady)).error.checks.postgres.status, 'down');
    assert.equal((await fetch(`${url}/health/live`)).status, 200, 'alive, though not ready');
    const refused = await pay(url);
    assert.equal(refused.status, 503);
    const body = await readJson(refused);
    assert.equal(body.error.code, 'store_unavailable');
    assert.doesNotMatch(JSON.stringify(body), /at .*\.js|Error:|stack/i, 'no stack trace in the answer');

    postgres.restore();
    const accepted = await waitFor('a payment to be accepted again', async () => {
      const response = await pay(url);
      return response.status === 201 && response;
    });
    const { message: messageUrl } = await readJson(accepted);
    await waitFor('its message to be sent', async () => (await messageAt(url, messageUrl)).status === 'sent');
    const [{ orphans }] = await app
      .get(DataSource)
      .query('SELECT count(*)::int AS orphans FROM payments p LEFT JOIN messages m ON m.payment_id = p.id WHERE m.id IS NULL');
    assert.equal(orphans, 0, 'every payment has its message: none was half-stored');
  });
});

describe('when Redis goes away', () => {
  it('billing still takes payments into its outbox, and delivers them once Redis is back', async () => {
    const receiver = await connectivity();
    const redis = await proxyTo(testRedisUrl());
    const { url } = await billing(receiver.url, { redisUrl: redis.in(testRedisUrl()), sweep: { intervalMs: 200, pendingAfterMs: 500 } });

    redis.cut();
    const notReady = await fetch(`${url}/health/ready`);
    assert.equal(notReady.status, 503);
    assert.equal((await readJson(notReady)).error.checks.redis.status, 'down');
    const responses = await Promise.all([pay(url), pay(url), pay(url)]);
    assert.deepEqual(
      responses.map((response) => response.status),
      [201, 201, 201],
    );
    const messageUrls: string[] = await Promise.all(responses.map(async (response) => (await readJson(response)).message));
    const duringOutage = receiver.requests.length;
    const statuses = await Promise.all(messageUrls.map(async (messageUrl) => (await messageAt(url, messageUrl)).status));
    const deadLetters = await fetch(`${url}/admin/dead-letters`);
    assert.ok([401, 503].includes(deadLetters.status), 'what needs Redis is refused, not crashed');

    assert.equal(duringOutage, 0, `nothing was delivered while Redis was away (statuses: ${statuses.join(', ')})`);
    assert.deepEqual(statuses, ['pending', 'pending', 'pending']);
    redis.restore();
    await waitFor('billing to be ready again', async () => (await fetch(`${url}/health/ready`)).status === 200, { timeoutMs: 10_000 });
    await waitFor(
      'the outbox to be delivered after Redis came back',
      async () => (await Promise.all(messageUrls.map((messageUrl) => messageAt(url, messageUrl)))).every((message) => message.status === 'sent'),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    for (const messageUrl of messageUrls) {
      assert.equal(receiver.requests.filter((request) => JSON.parse(request.body).message === messageUrl).length, 1, 'delivered once');
    }
  });
});
