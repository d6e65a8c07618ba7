import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { DontRetry, HttpRequest, RequestJob, authenticationHeader } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, readJson, testRedisUrl, waitFor } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

/**
 * The attacker's review of docs/security.md, replayed against the built apps: each finding as
 * an attacker would try it, and what the apps do about it now.
 */

/** Boots a built app (its production build, or its demo build) with `env` alone and returns how it ended; an app that boots is stopped. */
function boot(app: 'billing' | 'connectivity', env: Record<string, string>, build: 'apps' | 'demo' = 'apps') {
  return spawnSync(process.execPath, [`dist/${build}/${app}/main.js`], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

let system: RunningSystem;
let elsewhere: ScriptedReceiver;
before(async () => {
  system = await RunningSystem.start({ separateWorker: true });
  elsewhere = await ScriptedReceiver.start([], 202);
});
after(async () => {
  await system.stop();
  await elsewhere.stop();
});

describe('security: the queue dashboard is no signing oracle', () => {
  it('refuses to add, retry or clean a job through the dashboard (405), and adds none', async () => {
    const queue = `${system.billingUrl}/admin/queues/api/queues/billing-requests`;
    const job = { name: 'forged', data: { identity: 'forged', request: { url: `${elsewhere.url}/x`, method: 'POST', headers: {}, expect: [200] } } };
    const answers = [
      await fetch(`${queue}/add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) }),
      await fetch(`${queue}/retry/failed`, { method: 'PUT' }),
      await fetch(`${queue}/clean/completed`, { method: 'PUT' }),
      await fetch(`${system.billingUrl}/admin/queues/api/queues/pause`, { method: 'PUT' }),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [405, 405, 405, 405],
    );
    const { queues } = await readJson(await fetch(`${system.billingUrl}/admin/queues/api/queues`));
    assert.equal(queues[0].readOnlyMode, true, 'the dashboard shows the queue read-only');
    assert.equal(elsewhere.requests.length, 0);
  });

  it('a job written into Redis with another destination is refused by the worker: nothing is sent, signed or not', async () => {
    const queue = new Queue('billing-requests', { connection: { url: testRedisUrl() }, prefix: system.queuePrefix });
    try {
      const forged = new RequestJob(
        HttpRequest.to(`${elsewhere.url}/admin/dead-letters/retry-all`, 'POST').withJson({}).ensureIs(202),
        new DontRetry(),
      ).identifiedBy('forged-in-redis');
      await queue.add('request', forged.toJSON(), { jobId: forged.jobId });
      await waitFor('the forged job to fail', async () => (await queue.getJob(forged.jobId))?.failedReason);
      const failed = await queue.getJob(forged.jobId);
      assert.match(failed!.failedReason, /refused: not a destination this worker sends to/);
      assert.equal(elsewhere.requests.length, 0, 'the other host received nothing');
    } finally {
      await queue.close();
    }
  });
});

describe('security: production fails closed', () => {
  for (const nodeEnv of ['Production', 'prod', 'production ', 'staging']) {
    it(`NODE_ENV=${JSON.stringify(nodeEnv)} is production: no secret, no boot`, () => {
      const result = boot('billing', { NODE_ENV: nodeEnv });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /MESSAGING_SECRETS is required in production/);
    });
  }

  it('refuses the published development secret, a short secret and a short admin password', () => {
    const result = boot('billing', {
      NODE_ENV: 'production',
      MESSAGING_SECRETS: 'development-only-secret-do-not-deploy,short-secret-of-24-chars',
      ADMIN_UI_ENABLED: 'true',
      ADMIN_USER: 'ops',
      ADMIN_PASSWORD: 'letmein',
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /must not contain the development secret/);
    assert.match(result.stderr, /32 characters or more/);
    assert.match(result.stderr, /ADMIN_PASSWORD must have 12 characters or more/);
  });

  it('connectivity refuses to boot in production without SMS_GATEWAY_URL', () => {
    assert.match(boot('connectivity', { NODE_ENV: 'production', MESSAGING_SECRETS: TEST_SECRET }).stderr, /SMS_GATEWAY_URL is required/);
  });

  it('the demo builds refuse to boot in production, with a NODE_ENV misspelt or unset too', () => {
    for (const NODE_ENV of ['production', 'prod', undefined]) {
      for (const app of ['billing', 'connectivity'] as const) {
        const result = boot(app, { ...(NODE_ENV ? { NODE_ENV } : {}), MESSAGING_SECRETS: 'x'.repeat(32) }, 'demo');
        assert.equal(result.status, 1, `${app} demo build, NODE_ENV=${NODE_ENV}`);
        assert.match(result.stderr, /this is a demo build, refused with NODE_ENV=/);
      }
    }
  });
});

describe('security: X-Authentication is parsed exactly as docs/protocol.md writes it', () => {
  for (const [what, mangle] of [
    ['a space after the comma', (header: string) => header.replace(',', ', ')],
    ['a leading zero on t', (header: string) => header.replace('t=', 't=0')],
  ] as const) {
    it(`answers 401 malformed_header to ${what}`, async () => {
      const url = `${system.connectivityUrl}/messages?message=${encodeURIComponent(`${system.billingUrl}/messages/x`)}`;
      const { pathname, search } = new URL(url);
      const header = authenticationHeader([TEST_SECRET], Math.floor(Date.now() / 1000), { method: 'GET', path: `${pathname}${search}`, body: '' });
      const response = await fetch(url, { headers: { 'x-authentication': mangle(header) } });
      assert.equal(response.status, 401);
      assert.equal((await readJson(response)).error.reason, 'malformed_header');
    });
  }
});

/** POSTs as `curl -X POST` does: no body, no Content-Type, no Content-Length. */
function bareHttpPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('security: bodies that cost a 500 or the event loop', () => {
  const postPayment = (body: string) => fetch(`${system.billingUrl}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers 400 too_deep to 1,500 levels of nesting on the public POST /payments, and stays live', async () => {
    const response = await postPayment('['.repeat(1500));
    assert.equal(response.status, 400);
    assert.equal((await readJson(response)).error.code, 'too_deep');
    assert.equal((await fetch(`${system.billingUrl}/health/live`)).status, 200);
  });

  it('answers 400 naming the field to a NUL or a lone surrogate, in both apps', async () => {
    const nul = await postPayment('{"phoneNumber":"393331234567\\u0000","amount":1,"currency":"EUR"}');
    assert.equal(nul.status, 400);
    assert.ok((await readJson(nul)).error.fields.phoneNumber);
    const body = `{"text":"\\ud800 hello","phoneNumber":"393331234567","message":"${system.billingUrl}/messages/${crypto.randomUUID()}"}`;
    const path = '/messages';
    const header = authenticationHeader([TEST_SECRET], Math.floor(Date.now() / 1000), { method: 'POST', path, body });
    const surrogate = await fetch(`${system.connectivityUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authentication': header },
      body,
    });
    assert.equal(surrogate.status, 400);
    assert.ok((await readJson(surrogate)).error.fields.text);
  });

  it('on a signed route, refuses an unsigned body before parsing it: 401, not 400', async () => {
    const response = await fetch(`${system.connectivityUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '['.repeat(1500),
    });
    assert.equal(response.status, 401);
  });

  it('takes a signed action with no body and no content type, as curl -X POST sends it', async () => {
    const path = '/admin/dead-letters/no-such-letter/retry';
    const header = authenticationHeader([TEST_SECRET], Math.floor(Date.now() / 1000), { method: 'POST', path, body: '' });
    assert.equal(await bareHttpPost(`${system.billingUrl}${path}`, { 'x-authentication': header }), 404, 'not 415: no body needs no content type');
  });
});
