// `npm run demo`: the story of the talk, told by the running system. It starts its own billing and
// connectivity (own ports, databases and Redis database, so it runs beside `npm start`), prints each
// step as it happens, checks that the story held, stops what it started, and exits 0 or 1.
import { Client } from 'pg';
import { signedFetch } from '@onebip/messaging';
import { ServiceProcess, deleteRedisKeys, freePort, waitFor } from '@onebip/testing';

const postgres = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const redisUrl = process.env.DEMO_REDIS_URL ?? 'redis://127.0.0.1:6379/2';
const queuePrefix = 'demo';
const databases = { billing: 'billing_demo', connectivity: 'connectivity_demo' };
/** The demo's own shared secret; both services and this script hold it. */
const secret = 'demo-secret-0123456789abcdef';

const started = Date.now();
const say = (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  ${line}`);
const heading = (title: string) => console.log(`\n== ${title}`);
const failures: string[] = [];
function check(claim: string, holds: boolean): void {
  say(`${holds ? 'ok  ' : 'FAIL'} ${claim}`);
  if (!holds) failures.push(claim);
}

async function resetDemoData(): Promise<void> {
  const client = new Client({ connectionString: `${postgres}/postgres` });
  await client.connect();
  for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  await deleteRedisKeys(redisUrl, queuePrefix);
  await deleteRedisKeys(redisUrl, `${queuePrefix}-connectivity`);
}

async function json(response: Response): Promise<any> {
  return response.json();
}

async function main(): Promise<void> {
  await resetDemoData();
  const [billingPort, connectivityPort, carrierPort] = [await freePort(), await freePort(), await freePort()];
  const billingUrl = `http://127.0.0.1:${billingPort}`;
  const connectivityUrl = `http://127.0.0.1:${connectivityPort}`;
  const logDir = 'test-output/demo';
  // The SMS carrier is demo equipment of its own (apps/simulated-carrier), a network hop away as a real one is.
  const carrier = new ServiceProcess({ name: 'carrier', entry: 'dist/demo/simulated-carrier/main.js', env: { PORT: String(carrierPort) }, logDir });
  const connectivity = new ServiceProcess({
    name: 'connectivity',
    entry: 'dist/apps/connectivity/main.js',
    env: {
      PORT: String(connectivityPort),
      DATABASE_URL: `${postgres}/${databases.connectivity}`,
      MESSAGING_SECRETS: secret,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `${queuePrefix}-connectivity`,
      SMS_GATEWAY_URL: `http://127.0.0.1:${carrierPort}/sms`,
    },
    logDir,
  });
  const billing = new ServiceProcess({
    name: 'billing',
    entry: 'dist/apps/billing/main.js',
    env: {
      PORT: String(billingPort),
      DATABASE_URL: `${postgres}/${databases.billing}`,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      MESSAGING_SECRETS: secret,
      CONNECTIVITY_URL: connectivityUrl,
      BILLING_PUBLIC_URL: billingUrl,
      DELIVERY_BACKOFF_FIRST_WAIT_S: '0.5',
      DELIVERY_BACKOFF_UP_TO_S: '120',
    },
    logDir,
  });
  const pay = async (amount: number) =>
    fetch(`${billingUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '393331234567', amount, currency: 'EUR' }),
    });
  const messageAt = async (url: string) => json(await fetch(url));

  try {
    heading('Starting billing and connectivity');
    await carrier.start();
    await connectivity.start();
    say(`connectivity listens on ${connectivityUrl}`);
    await billing.start();
    say(`billing listens on ${billingUrl} (logs in ${logDir}/)`);

    heading('1. A payment, and its message delivered through the job queue');
    let t0 = Date.now();
    const response = await pay(1299);
    const payment = await json(response);
    say(`POST /payments -> ${response.status} in ${Date.now() - t0} ms: "${payment.id}", message ${payment.message}`);
    say('billing answered at once; a worker now POSTs the message to connectivity');
    const sent = await waitFor('the first message to be delivered', async () => {
      const message = await messageAt(payment.message);
      return message.status === 'delivered' && message;
    });
    say(`billing: message sent after ${sent.attempts} attempt(s), connectivity answered ${sent.lastAttempt}`);
    say(`billing: connectivity's delivery report came back: the SMS was ${sent.status} (a callback, sent as a job too)`);
    const stored = await json(await signedFetch(`${connectivityUrl}/messages?message=${encodeURIComponent(payment.message)}`, [secret]));
    say(`connectivity: stored "${stored.text}" for ${stored.phoneNumber}, id ${stored.id}`);
    check(
      'the message is delivered, as billing learnt from connectivity, and stored at connectivity',
      sent.status === 'delivered' && stored.message === payment.message,
    );

    heading('2. The same message replayed: a retry after a lost answer');
    // Billing's worker sends the message as a signed read shows it: the unsigned one masks the phone number.
    const original = await json(await signedFetch(payment.message, [secret]));
    const replay = await signedFetch(`${connectivityUrl}/messages`, [secret], {
      method: 'POST',
      body: JSON.stringify({ text: original.text, phoneNumber: original.phoneNumber, message: original.message }),
    });
    say(`POST /messages (again) -> ${replay.status} ${replay.statusText}, Location ${replay.headers.get('location')}`);
    check(
      'a replay is answered 409 Conflict and points at the stored message',
      replay.status === 409 && replay.headers.get('location') === `/messages/${stored.id}`,
    );
    say('the sender counts 409 as done: idempotence turns "did it arrive?" into "send it again"');

    heading('3. Connectivity stops; billing keeps taking payments');
    await connectivity.stop();
    say('connectivity stopped (SIGTERM)');
    const backlog: string[] = [];
    for (let index = 1; index <= 5; index += 1) {
      t0 = Date.now();
      const accepted = await pay(100 * index);
      backlog.push((await json(accepted)).message);
      say(`POST /payments -> ${accepted.status} in ${Date.now() - t0} ms`);
    }
    await waitFor('failed attempts', async () => (await messageAt(backlog[0])).attempts >= 2, { timeoutMs: 15_000 });
    for (const url of backlog) {
      const message = await messageAt(url);
      say(`message ${url.split('/').pop()}: ${message.status}, ${message.attempts} attempt(s), last: ${message.lastAttempt}`);
    }
    check('every payment was accepted while connectivity was down', backlog.length === 5);

    heading('4. Connectivity is back; the backlog drains by itself');
    await connectivity.start();
    say('connectivity started again');
    t0 = Date.now();
    const delivered = await waitFor(
      'the backlog to be delivered',
      async () => {
        const messages = await Promise.all(backlog.map(messageAt));
        return messages.every((message) => message.status === 'delivered') && messages;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    for (const message of delivered) say(`message ${message.id}: sent after ${message.attempts} attempt(s), then reported ${message.status}`);
    say(`backlog drained ${Date.now() - t0} ms after connectivity came back`);
    const client = new Client({ connectionString: `${postgres}/${databases.connectivity}` });
    await client.connect();
    const { rows } = await client.query('SELECT message_url, count(*)::int AS copies FROM messages GROUP BY message_url');
    await client.end();
    const copies = new Map(rows.map((row) => [row.message_url as string, row.copies as number]));
    say(`connectivity holds ${rows.length} message(s) for the ${backlog.length + 1} payments`);
    check(
      'every message reached connectivity exactly once',
      [payment.message, ...backlog].every((url) => copies.get(url) === 1) && copies.size === backlog.length + 1,
    );
  } finally {
    heading('Stopping');
    await Promise.all([billing.stop(), connectivity.stop(), carrier.stop()]);
    say('billing and connectivity stopped');
  }
}

main()
  .catch((error) => failures.push(`the demo broke: ${error instanceof Error ? error.message : error}`))
  .finally(() => {
    console.log(
      failures.length === 0
        ? '\nThe story held: payments never waited for connectivity, and nothing was lost or doubled.'
        : `\nThe story did not hold:\n- ${failures.join('\n- ')}`,
    );
    process.exit(failures.length === 0 ? 0 : 1);
  });
