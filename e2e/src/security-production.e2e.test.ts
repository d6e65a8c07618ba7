import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { signedFetch } from '@onebip/messaging';
import {
  ScriptedReceiver,
  ServiceProcess,
  TEST_SECRET,
  deleteRedisKeys,
  freePort,
  readJson,
  scratchDatabase,
  testRedisUrl,
  uniquePrefix,
  waitFor,
} from '@onebip/testing';

/**
 * The rest of the attacker's review (docs/security.md), against the built apps with
 * NODE_ENV=production, as they ship: callbacks, logs, slow and greedy clients, rate limits,
 * headers, metrics, and what a public read shows.
 */

const ADMIN = { user: 'ops', password: 'correct-horse-battery' };
const PHONE = '+393339876543';

interface Production {
  billing: ServiceProcess;
  connectivity: ServiceProcess;
  billingUrl: string;
  connectivityUrl: string;
  metricsPort: number;
  connectivityDatabase: string;
  stop(): Promise<void>;
}

/** Connectivity and billing in production mode, with small limits that a test can reach. */
async function startProduction(carrierUrl: string): Promise<Production> {
  const [billingPort, connectivityPort, metricsPort, connectivityMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const billingUrl = `http://127.0.0.1:${billingPort}`;
  const connectivityUrl = `http://127.0.0.1:${connectivityPort}`;
  const prefix = uniquePrefix('security');
  const billingDatabase = scratchDatabase('billing');
  const connectivityDatabase = scratchDatabase('connectivity');
  const common = {
    NODE_ENV: 'production',
    MESSAGING_SECRETS: TEST_SECRET,
    REDIS_URL: testRedisUrl(),
    ADMIN_UI_ENABLED: 'true',
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    // Every request of this file comes from 127.0.0.1, which plays the proxy: the client is X-Forwarded-For.
    TRUSTED_PROXIES: '127.0.0.1',
    HTTP_REQUEST_TIMEOUT_MS: '1500',
    HTTP_HEADERS_TIMEOUT_MS: '1000',
    HTTP_MAX_CONNECTIONS: '40',
  };
  const connectivity = new ServiceProcess({
    name: 'connectivity-production',
    entry: 'dist/apps/connectivity/main.js',
    env: {
      ...common,
      PORT: String(connectivityPort),
      METRICS_PORT: String(connectivityMetricsPort),
      DATABASE_URL: connectivityDatabase.url,
      QUEUE_PREFIX: `${prefix}-connectivity`,
      SMS_GATEWAY_URL: `${carrierUrl}/sms`,
      SMS_RETRY_FIRST_WAIT_S: '0.05',
      CALLBACK_ALLOWED_HOSTS: `127.0.0.1:${billingPort}`,
    },
  });
  const billing = new ServiceProcess({
    name: 'billing-production',
    entry: 'dist/apps/billing/main.js',
    env: {
      ...common,
      PORT: String(billingPort),
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: billingDatabase.url,
      QUEUE_PREFIX: prefix,
      CONNECTIVITY_URL: connectivityUrl,
      BILLING_PUBLIC_URL: billingUrl,
      RATE_LIMIT_PAYMENTS_PER_MINUTE: '5',
    },
  });
  await connectivity.start();
  await billing.start();
  return {
    billing,
    connectivity,
    billingUrl,
    connectivityUrl,
    metricsPort,
    connectivityDatabase: connectivityDatabase.url,
    async stop() {
      await billing.stop();
      await connectivity.stop();
      await deleteRedisKeys(testRedisUrl(), prefix);
      await billingDatabase.drop();
      await connectivityDatabase.drop();
    },
  };
}

let carrier: ScriptedReceiver;
let production: Production;
before(async () => {
  carrier = await ScriptedReceiver.start([], 202);
  production = await startProduction(carrier.url);
});
after(async () => {
  await production?.stop();
  await carrier?.stop();
});

/** POST /payments as the client at `address` (behind the trusted proxy). */
function payFrom(address: string, phoneNumber = PHONE): Promise<Response> {
  return fetch(`${production.billingUrl}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ phoneNumber, amount: 1299, currency: 'EUR' }),
  });
}

function signedMessage(body: Record<string, unknown>): Promise<Response> {
  return signedFetch(`${production.connectivityUrl}/messages`, [TEST_SECRET], { method: 'POST', body: JSON.stringify(body) });
}

describe('security (production): callbacks go back where the message came from', () => {
  it('refuses a callback on an allowed host that is not the message URL’s origin, and one on a host not allowed', async () => {
    const allowed = `${production.billingUrl}/admin/dead-letters/retry-all`;
    const elsewhere = await signedMessage({ text: 'hi', phoneNumber: PHONE, message: `http://evil.example/messages/${randomUUID()}`, callback: allowed });
    assert.equal(elsewhere.status, 400);
    assert.match((await readJson(elsewhere)).error.fields.callback[0], /origin/);
    const metadata = await signedMessage({
      text: 'hi',
      phoneNumber: PHONE,
      message: 'http://169.254.169.254/latest',
      callback: 'http://169.254.169.254/latest/x',
    });
    assert.equal(metadata.status, 400);
    assert.match((await readJson(metadata)).error.fields.callback[0], /not allowed/);
  });

  it('accepts a callback on the message URL’s own origin when that host is allowed', async () => {
    const message = `${production.billingUrl}/messages/${randomUUID()}`;
    const accepted = await signedMessage({ text: 'hi', phoneNumber: PHONE, message, callback: `${message}/delivery-reports` });
    assert.equal(accepted.status, 202);
  });
});

describe('security (production): what logs show', () => {
  it('refuses a message URL that carries credentials, and logs no query string, no whole phone number', async () => {
    const withCredentials = await signedMessage({ text: 'hi', phoneNumber: PHONE, message: `http://user:pass@billing.example/messages/${randomUUID()}` });
    assert.equal(withCredentials.status, 400);
    assert.ok((await readJson(withCredentials)).error.fields.message);

    const message = `http://billing.example/messages/${randomUUID()}?token=s3cr3t-token`;
    assert.equal((await signedMessage({ text: 'hi', phoneNumber: PHONE, message })).status, 202);
    await waitFor('the SMS to be sent and logged', () => production.connectivity.logLines().some((line) => String(line.msg).startsWith('SMS for ')));
    const logged = JSON.stringify(production.connectivity.logLines());
    assert.ok(logged.includes('+*********543'), 'the SMS line shows the last three digits');
    assert.ok(!logged.includes('s3cr3t-token'), 'no query string in the logs');
    assert.ok(!logged.includes(PHONE.slice(1)), 'no whole phone number in the logs');
  });

  it('logs a failed query without its parameters (phone number, text)', async () => {
    const database = new Client({ connectionString: production.connectivityDatabase });
    await database.connect();
    try {
      await database.query(`ALTER TABLE messages ADD CONSTRAINT security_test_refuses CHECK (text <> 'refused by a test')`);
      const failed = await signedMessage({
        text: 'refused by a test',
        phoneNumber: '+393330001122',
        message: `http://billing.example/messages/${randomUUID()}`,
      });
      assert.equal(failed.status, 500);
      const logFile = () => readFileSync(production.connectivity.logFile!, 'utf8');
      await waitFor('the failed query to be logged', () => logFile().includes('violates check constraint'));
      assert.ok(!logFile().includes('393330001122'), 'the phone number is not in the log');
      assert.ok(!logFile().includes('refused by a test'), 'the text is not in the log');
      const line = production.connectivity.logLines().find((entry) => String(entry.msg).startsWith('query failed'));
      assert.match(String(line?.msg), /query failed: new row for relation "messages" violates check constraint/, 'through the service logger, as JSON');
      assert.match(String(line?.parameters), /^\d+ withheld$/);
    } finally {
      await database.query('ALTER TABLE messages DROP CONSTRAINT IF EXISTS security_test_refuses');
      await database.end();
    }
  });
});

/** Opens a connection and sends `head`; resolves with what came back and when it closed. */
function trickle(port: number, head: string, drip: { byte: string; everyMs: number }) {
  return new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => socket.writable && socket.write(drip.byte), drip.everyMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    // Without a deadline the connection would stay open for minutes: stop waiting well before.
    setTimeout(() => socket.destroy(), 20_000).unref();
  });
}

describe('security (production): slow and greedy clients', () => {
  const port = () => Number(new URL(production.billingUrl).port);

  it('cuts off a body sent a byte at a time once the request deadline passes: 408, connection closed', async () => {
    const head = 'POST /payments HTTP/1.1\r\nHost: billing\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const { answer, closedAfterMs } = await trickle(port(), head, { byte: ' ', everyMs: 200 });
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs < 15_000, `closed after ${closedAfterMs} ms, not held open`);
  });

  it('cuts off headers sent a byte at a time', async () => {
    const { answer, closedAfterMs } = await trickle(port(), 'GET /health/live HTTP/1.1\r\nHost: billing\r\n', { byte: 'X', everyMs: 200 });
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs < 15_000, `closed after ${closedAfterMs} ms`);
  });

  it('refuses connections beyond HTTP_MAX_CONNECTIONS, and serves again once they close', async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 40; i += 1) {
        sockets.push(
          await new Promise<Socket>((resolve) => {
            const socket = connect(port(), '127.0.0.1', () => resolve(socket));
            socket.on('error', () => undefined);
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await fetch(`${production.billingUrl}/health/live`, { signal: AbortSignal.timeout(5_000) }).then(
        (response) => response.status,
        () => 'refused',
      );
      assert.equal(refused, 'refused', 'the 41st connection is closed unanswered');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await waitFor('billing to serve again', async () => (await fetch(`${production.billingUrl}/health/live`).catch(() => undefined))?.status === 200);
  });
});

describe('security (production): rate limits at the public edge', () => {
  it('gives each client address RATE_LIMIT_PAYMENTS_PER_MINUTE payments, then 429 with Retry-After and a JSON error', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await payFrom('203.0.113.10')).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201]);
    const limited = await payFrom('203.0.113.10');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    assert.equal((await readJson(limited)).error.code, 'rate_limited');
    assert.equal((await payFrom('203.0.113.11')).status, 201, 'another client has its own count');
  });

  it('limits failed admin logins to 10 a minute per address: then even the right password waits', async () => {
    const wrong = `Basic ${Buffer.from(`${ADMIN.user}:guess`).toString('base64')}`;
    const right = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
    const login = (authorization: string, address: string) =>
      fetch(`${production.billingUrl}/admin/queues`, { headers: { authorization, 'x-forwarded-for': address } }).then((response) => response.status);
    const statuses = [];
    for (let i = 0; i < 10; i += 1) statuses.push(await login(wrong, '203.0.113.20'));
    assert.deepEqual(new Set(statuses), new Set([401]));
    assert.equal(await login(wrong, '203.0.113.20'), 429);
    assert.equal(await login(right, '203.0.113.20'), 429, 'guessing right after ten misses does not get in this minute');
    assert.equal(await login(right, '203.0.113.21'), 200, 'another address logs in');
    const successes = [];
    for (let i = 0; i < 12; i += 1) successes.push(await login(right, '203.0.113.21'));
    assert.deepEqual(new Set(successes), new Set([200]), 'successes use up nothing: more than ten in a minute all get in');
  });

  it('counts guesses sent all at once: ten reach the password check, the rest wait', async () => {
    const guesses = Array.from({ length: 30 }, (_, i) =>
      fetch(`${production.billingUrl}/admin/queues`, {
        headers: { authorization: `Basic ${Buffer.from(`${ADMIN.user}:guess-${i}`).toString('base64')}`, 'x-forwarded-for': '203.0.113.22' },
      }).then((response) => response.status),
    );
    const statuses = await Promise.all(guesses);
    assert.deepEqual(
      { 401: statuses.filter((status) => status === 401).length, 429: statuses.filter((status) => status === 429).length },
      { 401: 10, 429: 20 },
    );
  });
});

describe('security (production): headers and the metrics port', () => {
  it('sends nosniff, a Referrer-Policy, refuses framing and shows no X-Powered-By, on the API and the HTML pages', async () => {
    const authorization = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
    for (const [path, init, status] of [
      ['/health/live', {}, 200],
      ['/admin/queues', { headers: { authorization, 'x-forwarded-for': '203.0.113.30' } }, 200],
      // The console is in the demo build only (demo-console.e2e checks its page under this policy):
      // the production build answers 404, with the same headers.
      ['/demo', { headers: { authorization, 'x-forwarded-for': '203.0.113.30' } }, 404],
    ] as const) {
      const response = await fetch(`${production.billingUrl}${path}`, init);
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(response.headers.get('x-powered-by'), null, path);
      const policy = response.headers.get('content-security-policy') ?? '';
      assert.match(policy, /frame-ancestors 'none'/, path);
      assert.match(policy, /default-src 'none'/, path);
      assert.match(policy, /script-src 'self'(;|$)/, `${path}: no inline or third-party script`);
    }
  });

  it('serves /metrics on METRICS_PORT only, not on the service port', async () => {
    assert.equal((await fetch(`${production.billingUrl}/metrics`)).status, 404);
    const scraped = await fetch(`http://127.0.0.1:${production.metricsPort}/metrics`);
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /process_cpu_user_seconds_total/);
    assert.equal((await fetch(`http://127.0.0.1:${production.metricsPort}/payments`)).status, 404, 'the metrics port serves nothing else');
  });
});

describe('security (production): public reads', () => {
  it('shows a payment’s phone number masked to an unsigned read, whole to a signed one', async () => {
    const created = await readJson(await payFrom('203.0.113.40'));
    const unsigned = await readJson(await fetch(`${production.billingUrl}/payments/${created.id}`));
    assert.equal(unsigned.phoneNumber, '+*********543');
    const signed = await readJson(await signedFetch(`${production.billingUrl}/payments/${created.id}`, [TEST_SECRET]));
    assert.equal(signed.phoneNumber, PHONE);
  });
});
