import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { ExponentialBackoff, HttpRequest, Messaging, RequestJob } from '@onebip/messaging';
import { BARE_DELIVERY_QUEUE, bareJob } from '../baseline/bare-delivery';
import { freePort } from '@onebip/testing';
import { AppProcess } from './app-process';
import { BILLING_QUEUE, BenchRun } from './bench-run';

/** Jobs ready to be queued: their BullMQ ids, and how to queue a slice of them. */
export interface PreparedJobs {
  ids: string[];
  enqueue(start: number, end: number): Promise<void>;
}

/** A pipeline from a queue of signed deliveries to a receiver that stores them. */
export interface DeliveryPipeline {
  label: string;
  queue: Queue;
  processes: AppProcess[];
  /** Makes `count` messages ready to deliver: what must exist before their jobs are queued. */
  prepare(count: number): Promise<PreparedJobs>;
  /** How many messages the receiver has stored. */
  stored(): Promise<number>;
  stop(): Promise<void>;
}

const PHONE_NUMBER = '393331234567';
const RECEIPT = 'You paid 12.99 EUR';

/** The JSON body billing POSTs to connectivity for a message (legacy `phonenumber` included, as by default). */
function messageBody(messageUrl: string) {
  return { text: RECEIPT, phoneNumber: PHONE_NUMBER, message: messageUrl, callback: `${messageUrl}/delivery-reports`, phonenumber: PHONE_NUMBER };
}

/**
 * The RequestJob billing's MessageDeliveryJobs makes for a message, built here because the bench
 * imports no app code: the same body, statuses, timeout, retry policy and identity.
 */
function billingDeliveryJob(messageUrl: string, connectivityUrl: string): RequestJob {
  const request = HttpRequest.to(`${connectivityUrl}/messages`, 'POST').withJson(messageBody(messageUrl)).ensureIs(202, 409).timingOutAfter(10_000);
  return new RequestJob(request, ExponentialBackoff.atFirstWaiting(5).upTo(3600)).identifiedBy(messageUrl);
}

/**
 * Writes `count` payments and their pending messages into billing's database (`database`, with
 * billing's schema), as POST /payments does, and returns the messages' URLs under `billingUrl`.
 */
async function writeOutbox(run: BenchRun, database: string, billingUrl: string, count: number): Promise<string[]> {
  const messages = Array.from({ length: count }, () => ({ paymentId: randomUUID(), id: randomUUID() }));
  await run.databases.query(
    database,
    `WITH payment AS (
       INSERT INTO payments (id, amount, currency, phone_number) SELECT id, 1299, 'EUR', $3 FROM unnest($1::uuid[]) AS id
     ), message AS (
       INSERT INTO messages (id, url, payment_id, text, phone_number)
       SELECT message.id, $4 || '/messages/' || message.id, message.payment_id, $5, $3
       FROM unnest($2::uuid[], $1::uuid[]) AS message (id, payment_id)
       RETURNING id
     )
     INSERT INTO message_events (message_id, kind) SELECT id, 'created' FROM message`,
    [messages.map((message) => message.paymentId), messages.map((message) => message.id), PHONE_NUMBER, billingUrl, RECEIPT],
  );
  return messages.map((message) => `${billingUrl}/messages/${message.id}`);
}

/** How many messages a connectivity's database holds (the same table in every one). */
async function storedIn(run: BenchRun, database: string): Promise<number> {
  return (await run.databases.query<{ count: number }>(database, 'SELECT count(*)::int AS count FROM messages'))[0].count;
}

/** Bare jobs queued with BullMQ's own addBulk, for the pipelines of bench/baseline. */
function bareJobs(queue: Queue, jobs: ReturnType<typeof bareJob>[]): PreparedJobs {
  return { ids: jobs.map((job) => job.opts.jobId), enqueue: async (start, end) => void (await queue.addBulk(jobs.slice(start, end))) };
}

/**
 * The real delivery stage: billing as a worker process (APP_ROLE=worker) and connectivity, from
 * dist/. The bench plays billing's API: it writes each payment and its pending message into
 * billing's database, as the outbox does, and queues the message's RequestJob with libs/messaging's
 * Messaging. Billing's workers then sign and POST each one and record the attempt; connectivity,
 * an API process (APP_ROLE=api), authenticates, validates, deduplicates and stores it and queues
 * its SMS job. Sending the SMS and reporting back is the work of connectivity's workers, a later
 * stage that end to end measures; here none runs.
 */
export async function startRealDeliveryStage(run: BenchRun): Promise<DeliveryPipeline> {
  const [billingDatabase, connectivityDatabase] = ['billing_bench', 'connectivity_bench'];
  await run.databases.drop(billingDatabase);
  await run.databases.drop(connectivityDatabase);
  // The worker's port is chosen first: its message URLs, and so their callbacks, are on it.
  const billingPort = await freePort();
  const connectivity = await run.startConnectivity(
    'connectivity',
    connectivityDatabase,
    await run.queuePrefix('connectivity'),
    `127.0.0.1:${billingPort}`,
    'api',
  );
  const queuePrefix = await run.queuePrefix('billing');
  const billing = await run.startBilling('billing-worker', {
    role: 'worker',
    database: billingDatabase,
    queuePrefix,
    connectivityUrl: connectivity.url,
    port: billingPort,
  });
  const queue = run.queue(BILLING_QUEUE, queuePrefix);
  const messaging = new Messaging(queue, 30_000);
  return {
    label: 'billing worker -> connectivity',
    queue,
    processes: [billing.process, connectivity.process],
    prepare: async (count) => {
      const jobs = (await writeOutbox(run, billingDatabase, billing.url, count)).map((url) => billingDeliveryJob(url, connectivity.url));
      return {
        ids: jobs.map((job) => job.jobId),
        enqueue: (start, end) => (end - start === 1 ? messaging.send(jobs[start]) : messaging.sendAll(jobs.slice(start, end))),
      };
    },
    stored: () => storedIn(run, connectivityDatabase),
    stop: async () => {
      await billing.process.stop();
      await connectivity.process.stop();
    },
  };
}

/**
 * The same work as the real delivery stage, written bare (bench/baseline): billing's worker
 * recording each attempt, connectivity storing the message and queuing its SMS job.
 * Against it, the real stage's ratio is what the framework costs; against the bare pipeline, what
 * the framework and the follow-up work cost together.
 */
export async function startBaselineDeliveryStage(run: BenchRun): Promise<DeliveryPipeline> {
  const [billingDatabase, connectivityDatabase] = ['baseline_billing_bench', 'baseline_connectivity_bench'];
  await run.databases.recreate(billingDatabase);
  await run.databases.recreate(connectivityDatabase);
  const connectivity = await run.startRole('baseline-connectivity-api', {
    database: connectivityDatabase,
    queuePrefix: await run.queuePrefix('baseline-connectivity'),
  });
  const queuePrefix = await run.queuePrefix('baseline-billing');
  const billing = await run.startRole('baseline-billing', { database: billingDatabase, queuePrefix, connectivityUrl: connectivity.url });
  const queue = run.queue(BILLING_QUEUE, queuePrefix);
  return {
    label: 'baseline, same work (bare)',
    queue,
    processes: [billing.process, connectivity.process],
    prepare: async (count) => {
      const urls = await writeOutbox(run, billingDatabase, billing.url, count);
      return bareJobs(
        queue,
        urls.map((url) => bareJob({ identity: url, url: `${connectivity.url}/messages`, body: JSON.stringify(messageBody(url)), expected: [202, 409] })),
      );
    },
    stored: () => storedIn(run, connectivityDatabase),
    stop: async () => {
      await billing.process.stop();
      await connectivity.process.stop();
    },
  };
}

/**
 * The bare delivery pipeline, the floor the real one is held against: a BullMQ Worker that signs
 * each job's body and POSTs it with node:http over keep-alive, to a node:http server that checks
 * the signature and the fields, and stores it with INSERT … ON CONFLICT DO NOTHING. Each runs in a
 * process of its own, as billing's worker and connectivity do.
 */
export async function startBareDeliveryPipeline(run: BenchRun): Promise<DeliveryPipeline> {
  const database = 'bare_pipeline_bench';
  await run.databases.recreate(database);
  const receiver = await run.startRole('bare-receiver', { database });
  const queuePrefix = await run.queuePrefix('bare');
  const worker = await run.startRole('bare-worker', { queuePrefix });
  const queue = run.queue(BARE_DELIVERY_QUEUE, queuePrefix);
  return {
    label: 'bare pipeline',
    queue,
    processes: [worker.process, receiver.process],
    prepare: async (count) =>
      bareJobs(
        queue,
        Array.from({ length: count }, () => {
          const messageUrl = `${worker.url}/messages/${randomUUID()}`;
          return bareJob({ identity: messageUrl, url: `${receiver.url}/messages`, body: JSON.stringify(messageBody(messageUrl)), expected: [202, 409] });
        }),
      ),
    stored: () => storedIn(run, database),
    stop: async () => {
      await worker.process.stop();
      await receiver.process.stop();
    },
  };
}
