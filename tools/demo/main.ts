// `npm run demo`: the story of the talk, told by the running system. It starts its own billing and
// connectivity (own ports, databases and Redis database, so it runs beside `npm start`), prints each
// step as it happens, checks that the story held, stops what it started, and exits 0 or 1.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Client } from 'pg';
import { AUTHENTICATION_HEADER, signedFetch, verifyAuthentication } from '@onebip/messaging';
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

/**
 * A service that subscribes to billing's events, on its own port: it verifies each delivery
 * against its subscription's secret (and that MESSAGING_SECRETS does not verify it), stores each
 * event once by id, answers 202, and 409 to an event it already has.
 */
class Subscriber {
  /** The events stored, by id: the payment each tells of. */
  readonly events = new Map<string, string>();
  /** Deliveries answered 409: an event sent again. */
  replays = 0;
  /** Deliveries refused: not signed with the subscription's secret, or signed with MESSAGING_SECRETS. */
  forged = 0;
  /** The subscription's secret, from billing's answer to the PUT; until then every delivery waits (503). */
  secret: string | undefined;
  private server: Server | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.receive(request, response));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** Stops at once, as a crash would: open connections too. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = request.headers[AUTHENTICATION_HEADER.toLowerCase()] as string | undefined;
    const signed = { method: request.method ?? '', path: request.url ?? '', body };
    if (this.secret === undefined) return void response.writeHead(503).end();
    if (!verifyAuthentication(header, signed, [this.secret]).ok || verifyAuthentication(header, signed, [secret]).ok) {
      this.forged += 1;
      return void response.writeHead(401).end();
    }
    const event = JSON.parse(body);
    if (this.events.has(event.id)) {
      this.replays += 1;
      return void response.writeHead(409).end();
    }
    this.events.set(event.id, event.subject);
    response.writeHead(202).end();
  }
}

async function main(): Promise<void> {
  await resetDemoData();
  const [billingPort, connectivityPort, carrierPort] = [await freePort(), await freePort(), await freePort()];
  const ledger = new Subscriber('ledger', await freePort());
  const analytics = new Subscriber('analytics', await freePort());
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
      // Act 5: billing delivers events only to these hosts, and follows a new subscription within 200 ms.
      EVENT_SUBSCRIBER_HOSTS: [ledger, analytics].map((subscriber) => `127.0.0.1:${subscriber.port}`).join(','),
      EVENT_SUBSCRIPTIONS_REFRESH_MS: '200',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_PENDING_AFTER_MS: '2000',
    },
    logDir,
  });
  /** The URL of every payment the demo made, as events name it (their subject). */
  const payments: string[] = [];
  const pay = async (amount: number) => {
    const response = await fetch(`${billingUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '393331234567', amount, currency: 'EUR' }),
    });
    if (response.status === 201) payments.push(`${billingUrl}/payments/${(await json(response.clone())).id}`);
    return response;
  };
  const signed = (path: string, method = 'GET', body?: unknown) =>
    signedFetch(`${billingUrl}${path}`, [secret], { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const messageAt = async (url: string) => json(await fetch(url));

  try {
    heading('Starting billing and connectivity');
    await carrier.start();
    await connectivity.start();
    say(`connectivity listens on ${connectivityUrl}`);
    await billing.start();
    say(`billing listens on ${billingUrl} (logs in ${logDir}/)`);

    heading('1. A payment, and its message delivered through the job queue');
    const beforeTheFirstPayment = new Date(Date.now() - 1000).toISOString();
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

    heading('5. Events: a late subscriber gets every payment, one that was down catches up');
    await Promise.all([ledger.start(), analytics.start()]);
    const subscribe = async (subscriber: Subscriber, body: Record<string, unknown>) => {
      const answer = await signed(`/subscriptions/${subscriber.name}`, 'PUT', { url: subscriber.url, ...body });
      const subscription = await json(answer);
      subscriber.secret = subscription.secret;
      say(`PUT /subscriptions/${subscriber.name} ${JSON.stringify(body)} -> ${answer.status}, a secret of its own: ${subscription.secret !== undefined}`);
    };
    const holdsAll = (subscriber: Subscriber, wanted: string[]) => {
      const subjects = [...subscriber.events.values()];
      return wanted.every((url) => subjects.includes(url));
    };
    await subscribe(ledger, { since: beforeTheFirstPayment });
    t0 = Date.now();
    await waitFor('the ledger’s backfill', () => holdsAll(ledger, payments), { timeoutMs: 15_000, intervalMs: 50 });
    say(`ledger: the ${payments.length} payments made before it subscribed arrived in ${Date.now() - t0} ms (the backfill)`);
    await subscribe(analytics, {});
    const analyticsSince = payments.length;
    await pay(700);
    await waitFor('the new payment at both', () => holdsAll(ledger, payments) && holdsAll(analytics, payments.slice(analyticsSince)), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    say('a new payment: its event reached the ledger and analytics');
    await analytics.stop();
    say('analytics stopped (its server closed)');
    for (let index = 1; index <= 3; index += 1) await pay(800 + index);
    await waitFor('the ledger to hold the new payments', () => holdsAll(ledger, payments), { timeoutMs: 15_000, intervalMs: 50 });
    const missed = [...ledger.events].filter(([, subject]) => payments.slice(-3).includes(subject)).map(([id]) => id);
    await waitFor(
      'failed attempts to analytics',
      async () => {
        const { deliveries } = await json(await signed(`/events/${missed[0]}/deliveries`));
        return deliveries.some((delivery: any) => delivery.subscriber === 'analytics' && delivery.attempts >= 1);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    for (const id of missed) {
      const { deliveries } = await json(await signed(`/events/${id}/deliveries`));
      const shown = deliveries.map((delivery: any) => `${delivery.subscriber} ${delivery.status} (${delivery.attempts}, ${delivery.lastAttempt})`);
      say(`GET /events/${id.slice(0, 8)}…/deliveries: ${shown.join('; ')}`);
    }
    await analytics.start();
    say(`analytics started again on port ${analytics.port}; nobody tells billing`);
    t0 = Date.now();
    await waitFor('analytics to catch up', () => holdsAll(analytics, payments.slice(analyticsSince)), { timeoutMs: 30_000, intervalMs: 50 });
    say(`analytics caught up ${Date.now() - t0} ms after it came back, by billing's retries alone`);
    const storedOnce = (subscriber: Subscriber, wanted: string[]) => {
      const subjects = [...subscriber.events.values()];
      return subjects.length === wanted.length && wanted.every((url) => subjects.filter((subject) => subject === url).length === 1);
    };
    say(
      `ledger holds ${ledger.events.size} event(s), analytics ${analytics.events.size}; ${payments.length} payments made, ${payments.length - analyticsSince} since analytics subscribed`,
    );
    say(`replays answered 409: ledger ${ledger.replays}, analytics ${analytics.replays}`);
    check('the ledger holds one event for each payment the demo made, none missing, none twice', storedOnce(ledger, payments));
    check('analytics holds one event for each payment since it subscribed, the missed ones included', storedOnce(analytics, payments.slice(analyticsSince)));
    check(
      'every delivery was signed with its subscription’s own secret, none with MESSAGING_SECRETS',
      ledger.forged === 0 && analytics.forged === 0 && ledger.secret !== analytics.secret,
    );
  } finally {
    heading('Stopping');
    await Promise.all([billing.stop(), connectivity.stop(), carrier.stop(), ledger.stop(), analytics.stop()]);
    say('billing and connectivity stopped');
  }
}

main()
  .catch((error) => failures.push(`the demo broke: ${error instanceof Error ? error.message : error}`))
  .finally(() => {
    console.log(
      failures.length === 0
        ? '\nThe story held: payments never waited for connectivity or subscribers, and nothing was lost or doubled.'
        : `\nThe story did not hold:\n- ${failures.join('\n- ')}`,
    );
    process.exit(failures.length === 0 ? 0 : 1);
  });
