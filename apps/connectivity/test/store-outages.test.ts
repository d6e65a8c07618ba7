import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TcpProxy, deleteRedisKeys, readJson, scratchDatabase, testRedisUrl, uniquePrefix, waitFor } from '@onebip/testing';
import { buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

const cleanups: (() => Promise<void>)[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  // A test that failed mid-outage leaves its proxy cut: restore it, so the app closes normally.
  for (const proxy of proxies.splice(0)) proxy.restore();
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('when Redis does not take the SMS job', () => {
  it('connectivity answers 503 with Retry-After though it stored the message, and the sender’s retry (409) queues the SMS, sent once', async () => {
    const database = scratchDatabase('connectivity');
    cleanups.push(() => database.drop());
    const queuePrefix = uniquePrefix('connectivity-outage');
    cleanups.push(() => deleteRedisKeys(testRedisUrl(), queuePrefix));
    const { hostname, port } = new URL(testRedisUrl());
    const redis = await TcpProxy.start({ host: hostname, port: Number(port) });
    proxies.push(redis);
    cleanups.push(() => redis.stop());
    const connectivity = await startTestConnectivity({ databaseUrl: database.url, queuePrefix, redisUrl: redis.in(testRedisUrl()) });
    cleanups.push(() => connectivity.close());
    const message = buildMessage();
    const stored = async () => readJson(await getSigned(`${connectivity.url}/messages?message=${encodeURIComponent(message.message)}`));

    redis.cut();
    const refused = await postJson(`${connectivity.url}/messages`, message);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal((await readJson(refused)).error.code, 'queue_unavailable');
    assert.equal((await stored()).status, 'accepted', 'the message is stored: a 503 is not a refusal');

    redis.restore();
    await waitFor('connectivity ready again', async () => (await fetch(`${connectivity.url}/health/ready`)).status === 200, { timeoutMs: 10_000 });
    assert.equal((await postJson(`${connectivity.url}/messages`, message)).status, 409);
    await waitFor('the SMS sent', async () => (await stored()).status === 'delivered', { timeoutMs: 10_000 });
    assert.equal(connectivity.carrier.requests.length, 1);
  });
});
