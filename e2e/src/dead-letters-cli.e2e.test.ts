import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  ScriptedReceiver,
  ServiceProcess,
  TEST_SECRET,
  deleteRedisKeys,
  freePort,
  scratchDatabase,
  testRedisUrl,
  uniquePrefix,
  waitFor,
} from '@onebip/testing';

const database = scratchDatabase('billing');
const prefix = uniquePrefix('cli');
let receiver: ScriptedReceiver;
let billing: ServiceProcess;
let billingUrl: string;

before(async () => {
  // Connectivity refuses the first two messages for good, then accepts.
  receiver = await ScriptedReceiver.start([422, 422], 202);
  const port = await freePort();
  billingUrl = `http://127.0.0.1:${port}`;
  billing = new ServiceProcess({
    name: 'billing-cli',
    entry: 'dist/apps/billing/main.js',
    env: {
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      CONNECTIVITY_URL: receiver.url,
      BILLING_PUBLIC_URL: billingUrl,
      MESSAGING_SECRETS: TEST_SECRET,
    },
  });
  await billing.start();
});
after(async () => {
  await billing.stop();
  await receiver.stop();
  await deleteRedisKeys(testRedisUrl(), prefix);
  await database.drop();
});

function cli(...args: string[]): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, ['dist/tools/messaging-cli/main.js', ...args], {
    env: { PATH: process.env.PATH, BILLING_URL: billingUrl, MESSAGING_SECRETS: TEST_SECRET },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

async function failedMessage(): Promise<string> {
  const response = await fetch(`${billingUrl}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: '393331234567', amount: 1299, currency: 'EUR' }),
  });
  const { message } = (await response.json()) as { message: string };
  await waitFor('the message to fail', async () => ((await (await fetch(message)).json()) as { status: string }).status === 'failed');
  return message;
}

const statusOf = async (messageUrl: string) => ((await (await fetch(messageUrl)).json()) as { status: string }).status;

describe('npm run messaging -- dead-letters', () => {
  it('lists the failed deliveries, sends one again, then all', async () => {
    const first = await failedMessage();
    const second = await failedMessage();

    const listed = cli('dead-letters', 'list');
    assert.equal(listed.status, 0, listed.out);
    assert.ok(listed.out.includes(first) && listed.out.includes(second), listed.out);
    assert.match(listed.out, /HTTP 422/);

    const id = /^(rj-\S+)\s+(\S+)$/m.exec(listed.out.split('\n').find((line) => line.includes(first))!)![1];
    const retried = cli('dead-letters', 'retry', id);
    assert.equal(retried.status, 0, retried.out);
    await waitFor('the retried message to be sent', async () => (await statusOf(first)) === 'sent');
    assert.equal(await statusOf(second), 'failed');

    const all = cli('dead-letters', 'retry-all');
    assert.equal(all.status, 0, all.out);
    assert.match(all.out, /sent again: 1/);
    await waitFor('every message to be sent', async () => (await statusOf(second)) === 'sent');
    assert.match(cli('dead-letters', 'list').out, /no dead letters/);
  });

  it('fails with billing’s reason when its secret is wrong', () => {
    const result = spawnSync(process.execPath, ['dist/tools/messaging-cli/main.js', 'dead-letters', 'list'], {
      env: { PATH: process.env.PATH, BILLING_URL: billingUrl, MESSAGING_SECRETS: 'not-the-shared-secret-0000' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /401.*signature_mismatch/);
  });
});
