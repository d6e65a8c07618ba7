import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { BareDelivery, bareJob } from './bare-delivery';
import { AttemptOutcome, startDeliveryWorker } from './delivery-worker';
import { HttpProblem, answer, parseJson, readBody, serve } from './http-kit';
import { RoleSettings } from './role-settings';
import { CONNECTIVITY_SCHEMA } from './schema';
import { ensureAuthenticated } from './service-authentication';
import { closeServiceOnSignal } from './service-shutdown';
import { SignedPoster } from './signed-post';
import { IncomingMessageOrder, validMessage } from './validation';

const CONNECTIVITY_QUEUE = 'connectivity-requests';
const SMS = 'sms ';

/**
 * Connectivity's POST /messages written bare on node:http and pg: authenticated, validated, stored
 * once per message URL with INSERT … ON CONFLICT DO NOTHING (202 new, 409 replay, 422 replay with
 * another content). With `followUps`, as the real connectivity, it also queues each message's SMS
 * to the carrier at SMS_GATEWAY_URL (by default the simulated one it serves, answering at once),
 * and once the carrier took it, settles the message and queues its delivery report to the
 * callback. Without, it is the bare pipeline's receiver: store and answer, nothing more.
 */
export async function startBareConnectivity(
  name: string,
  settings: RoleSettings,
  { followUps, sendFollowUps = followUps }: { followUps: boolean; sendFollowUps?: boolean },
): Promise<void> {
  const pool = new Pool({ connectionString: settings.databaseUrl, max: 10 });
  await pool.query(CONNECTIVITY_SCHEMA);
  const poster = new SignedPoster(settings.secrets);
  const queue = followUps
    ? new Queue(CONNECTIVITY_QUEUE, { connection: { url: settings.redisUrl, enableOfflineQueue: false }, prefix: settings.queuePrefix })
    : undefined;
  queue?.on('error', (error) => console.warn(`queue: ${error.message}`));
  const send = async (delivery: BareDelivery) => {
    const job = bareJob(delivery);
    await queue?.add(job.name, job.data, job.opts);
  };

  const settle = async (delivery: BareDelivery, { delivered }: AttemptOutcome) => {
    if (!delivered || !delivery.identity.startsWith(SMS)) return;
    const messageUrl = delivery.identity.slice(SMS.length);
    const updated = await pool.query(`UPDATE messages SET status = $2, final_at = now() WHERE message_url = $1 AND status = 'accepted' RETURNING *`, [
      messageUrl,
      'delivered',
    ]);
    const { rows } = updated.rows.length > 0 ? updated : await pool.query('SELECT * FROM messages WHERE message_url = $1', [messageUrl]);
    const message = rows[0];
    if (!message?.callback) return;
    const body = { message: messageUrl, status: message.status, at: (message.final_at ?? new Date()).toISOString() };
    await send({ identity: `report ${messageUrl}`, url: message.callback, body: JSON.stringify(body), expected: [202, 409] });
  };
  // Without sendFollowUps (connectivity's APP_ROLE=api), SMS jobs are queued and left for workers elsewhere.
  const worker = sendFollowUps
    ? startDeliveryWorker({
        queueName: CONNECTIVITY_QUEUE,
        redisUrl: settings.redisUrl,
        prefix: settings.queuePrefix,
        concurrency: 16,
        poster,
        onAttempt: settle,
      })
    : undefined;

  const store = async (order: IncomingMessageOrder) => {
    const inserted = await pool.query(
      `INSERT INTO messages (message_url, text, phone_number, callback) VALUES ($1, $2, $3, $4)
       ON CONFLICT (message_url) DO NOTHING RETURNING id, status`,
      [order.message, order.text, order.phoneNumber, order.callback ?? null],
    );
    if (inserted.rows[0]) return { outcome: 'accepted', ...inserted.rows[0] } as const;
    const { rows } = await pool.query('SELECT id, status, text, phone_number FROM messages WHERE message_url = $1', [order.message]);
    const same = rows[0].text === order.text && rows[0].phone_number === order.phoneNumber;
    return { outcome: same ? 'duplicate' : 'conflicting', id: rows[0].id, status: rows[0].status } as const;
  };

  const receive = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    ensureAuthenticated(request, body, settings.secrets);
    const order = validMessage(parseJson(request, body));
    if (order.callback !== undefined && new URL(order.callback).host !== new URL(order.message).host) {
      throw new HttpProblem(400, 'invalid', `callback host ${new URL(order.callback).host} is not allowed`);
    }
    const reception = await store(order);
    // A 202 or a 409 promises the sender that the SMS job exists.
    if (queue && reception.outcome !== 'conflicting' && reception.status === 'accepted') {
      await send({
        identity: `${SMS}${order.message}`,
        url: settings.smsGatewayUrl,
        body: JSON.stringify({ to: order.phoneNumber, text: order.text, reference: order.message }),
        expected: [200, 201, 202],
      }).catch(() => {
        throw new HttpProblem(503, 'queue_unavailable', 'the message is stored but cannot be queued for sending now; send it again');
      });
    }
    const location = { location: `/messages/${reception.id}` };
    if (reception.outcome === 'duplicate')
      return answer(
        response,
        409,
        { error: { code: 'duplicate_message', message: `message ${order.message} was already received`, id: reception.id } },
        location,
      );
    if (reception.outcome === 'conflicting')
      return answer(
        response,
        422,
        { error: { code: 'conflicting_message', message: `message ${order.message} was already received with another content`, id: reception.id } },
        location,
      );
    answer(response, 202, { id: reception.id }, location);
  };

  const server = await serve(name, settings.port, async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === '/messages') return receive(request, response);
    if (request.method === 'POST' && path === '/simulated-carrier/sms') {
      parseJson(request, await readBody(request));
      return answer(response, 202, { id: randomUUID() });
    }
    answer(response, 404, { error: { code: 'not_found', message: `${request.method} ${path} not found` } });
  });
  closeServiceOnSignal({ worker, server, queue, poster, pool });
}
