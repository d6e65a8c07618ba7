import { IncomingMessage, ServerResponse } from 'node:http';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { BareDelivery, bareJob } from './bare-delivery';
import { BillingStore, StoredPayment, messageView } from './billing-store';
import { attemptOutcome, startDeliveryWorker } from './delivery-worker';
import { HttpProblem, answer, parseJson, readBody, serve } from './http-kit';
import { RoleSettings } from './role-settings';
import { BILLING_SCHEMA } from './schema';
import { ensureAuthenticated } from './service-authentication';
import { closeServiceOnSignal } from './service-shutdown';
import { SignedPoster } from './signed-post';
import { isUuid, validPayment, validReport } from './validation';

/**
 * How a bare billing gets a payment's message to connectivity: `queue` it for a worker and answer
 * at once (messaging, as the real billing does), or call connectivity and answer only after (`rpc`).
 */
export type DeliveryMode = 'queue' | 'rpc';

const BILLING_QUEUE = 'billing-requests';

/**
 * Billing's interface written bare on node:http, pg and BullMQ: POST /payments, GET /messages/:id
 * and POST /messages/:id/delivery-reports, with the app's transactions, signing and statuses.
 * In `queue` mode the process also runs the delivery worker, as billing with APP_ROLE=all does,
 * unless `deliver` is false (APP_ROLE=api); a second process with `deliver` plays the worker.
 */
export async function startBareBilling(
  name: string,
  settings: RoleSettings,
  mode: DeliveryMode,
  { deliver = mode === 'queue' }: { deliver?: boolean } = {},
): Promise<void> {
  const pool = new Pool({ connectionString: settings.databaseUrl, max: 10 });
  await pool.query(BILLING_SCHEMA);
  const store = new BillingStore(pool, settings.publicUrl);
  const poster = new SignedPoster(settings.secrets);
  const queue =
    mode === 'queue'
      ? new Queue(BILLING_QUEUE, { connection: { url: settings.redisUrl, enableOfflineQueue: false }, prefix: settings.queuePrefix })
      : undefined;
  queue?.on('error', (error) => console.warn(`queue: ${error.message}`));
  // Without `deliver` (billing's APP_ROLE=api), the jobs are left for a worker process.
  const worker = deliver
    ? startDeliveryWorker({
        queueName: BILLING_QUEUE,
        redisUrl: settings.redisUrl,
        prefix: settings.queuePrefix,
        concurrency: settings.deliveryConcurrency,
        poster,
        onAttempt: (delivery, outcome) => store.recordAttempt(delivery.identity, outcome),
      })
    : undefined;

  const deliveryTo = (payment: StoredPayment): BareDelivery => {
    const { url, text } = payment.message;
    const body = { text, phoneNumber: payment.phoneNumber, message: url, callback: `${url}/delivery-reports`, phonenumber: payment.phoneNumber };
    return { identity: url, url: `${settings.connectivityUrl}/messages`, body: JSON.stringify(body), expected: [202, 409] };
  };

  const pay = async (request: IncomingMessage, response: ServerResponse) => {
    const payment = await store.pay(validPayment(parseJson(request, await readBody(request))));
    const delivery = deliveryTo(payment);
    if (queue) {
      // As the real billing: a message that misses the queue stays pending in the outbox.
      const job = bareJob(delivery);
      await queue.add(job.name, job.data, job.opts).catch((error) => console.warn(`message ${delivery.identity} stays pending: ${error.message}`));
    } else {
      const outcome = attemptOutcome(delivery, 1, await poster.post(delivery.url, delivery.body));
      await store.recordAttempt(delivery.identity, outcome);
      if (!outcome.delivered) throw new HttpProblem(502, 'connectivity_failed', `connectivity did not take the message: ${outcome.detail}`);
    }
    const { message, ...fields } = payment;
    answer(response, 201, { ...fields, createdAt: payment.createdAt.toISOString(), message: message.url });
  };

  const showMessage = async (id: string, response: ServerResponse) => {
    const message = isUuid(id) ? await store.message(id) : undefined;
    if (!message) throw new HttpProblem(404, 'not_found', `message ${id} not found`);
    answer(response, 200, messageView(message));
  };

  const report = async (id: string, request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    ensureAuthenticated(request, body, settings.secrets);
    const order = validReport(parseJson(request, body));
    const outcome = isUuid(id) ? await store.recordReport(id, order.message, order.status) : undefined;
    if (!outcome) throw new HttpProblem(404, 'not_found', `message ${id} not found`);
    if (outcome.kind === 'mismatch') throw new HttpProblem(400, 'invalid', `the report is about ${order.message}, not this message`);
    if (outcome.kind === 'duplicate') throw new HttpProblem(409, 'duplicate_report', `message ${order.message} already has its delivery report`);
    answer(response, 202, messageView(outcome.message));
  };

  const server = await serve(name, settings.port, async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === '/payments') return pay(request, response);
    const messageRoute = /^\/messages\/([^/]+)(\/delivery-reports)?$/.exec(path);
    if (messageRoute && request.method === 'GET' && !messageRoute[2]) return showMessage(messageRoute[1], response);
    if (messageRoute && request.method === 'POST' && messageRoute[2]) return report(messageRoute[1], request, response);
    answer(response, 404, { error: { code: 'not_found', message: `${request.method} ${path} not found` } });
  });
  closeServiceOnSignal({ worker, server, queue, poster, pool });
}
