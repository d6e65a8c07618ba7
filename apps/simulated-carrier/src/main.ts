// A stand-in for a carrier's SMS API, as a service of its own: what the production compose
// variant points connectivity's SMS_GATEWAY_URL at, so that connectivity's production build
// serves no simulated carrier of its own. It takes POST /sms and answers 202 with an id after
// CARRIER_LATENCY_MS, or 503 for a share CARRIER_FAILURE_RATE of them (a transient failure the SMS
// job retries); it sends nothing anywhere and logs no message content.
//   PORT (3003), HOST (127.0.0.1), CARRIER_LATENCY_MS (50), CARRIER_FAILURE_RATE (0)
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { EnvReader } from '@onebip/platform';

const read = new EnvReader(process.env);
const config = read.done({
  port: read.port('PORT', 3003),
  host: process.env.HOST?.trim() || '127.0.0.1',
  latencyMs: read.integer('CARRIER_LATENCY_MS', 50, { min: 0, max: 60_000 }),
  failureRate: read.fraction('CARRIER_FAILURE_RATE', 0),
});
const BODY_LIMIT_BYTES = 64 * 1024;

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Reads the body to its end, up to the limit: an SMS submission is small. */
async function bodySize(request: IncomingMessage): Promise<number> {
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) break;
  }
  return size;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && (path === '/health/live' || path === '/health/ready')) return answer(response, 200, { status: 'ok' });
  if (path !== '/sms') return answer(response, 404, { error: { code: 'not_found', message: `no route ${request.method} ${path}` } });
  if (request.method !== 'POST') return answer(response, 405, { error: { code: 'method_not_allowed', message: 'POST an SMS to /sms' } });
  if ((await bodySize(request)) > BODY_LIMIT_BYTES) {
    answer(response, 413, { error: { code: 'payload_too_large', message: 'an SMS is at most 64 KiB' } });
    request.destroy();
    return;
  }
  if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
  if (Math.random() < config.failureRate)
    return answer(response, 503, { error: { code: 'carrier_unavailable', message: 'the simulated carrier refused this SMS' } });
  answer(response, 202, { id: randomUUID() });
}

// A client that goes away mid-request (a reset, a truncated body) costs its own exchange, never the process.
const server = createServer((request, response) => {
  handle(request, response).catch(() => response.destroy());
});
server.requestTimeout = 10_000;
server.headersTimeout = 5_000;

server.listen(config.port, config.host, () =>
  console.log(JSON.stringify({ level: 'info', service: 'simulated-carrier', msg: `listening on ${config.host}:${config.port}` })),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
