import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request handler of the bare servers; whatever it throws is answered 500. */
export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Thrown while reading a request: answered with its status and code, like the apps' AppError. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The body's bytes, up to `limitBytes` (413 beyond). */
export async function readBody(request: IncomingMessage, limitBytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limitBytes) throw new HttpProblem(413, 'payload_too_large', `the body is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON object from `body`, which must come as application/json (415 otherwise, 400 when it does not parse). */
export function parseJson(request: IncomingMessage, body: Buffer): Record<string, unknown> {
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? ''))
    throw new HttpProblem(415, 'unsupported_media_type', 'only application/json bodies are accepted');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpProblem(400, 'invalid', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Answers `status` with `body` as JSON. */
export function answer(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const json = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(json)),
    ...headers,
  });
  response.end(json);
}

/** Starts a server of `handler` on 127.0.0.1:`port` and logs `<name> listening on <url>`, the bench's ready signal. */
export async function serve(name: string, port: number, handler: Handler): Promise<Server> {
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof HttpProblem) return answer(response, error.status, { error: { code: error.code, message: error.message, ...error.details } });
      console.error(`${name}: ${request.method} ${request.url}:`, error);
      answer(response, 500, { error: { code: 'internal', message: 'internal error' } });
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.log(`${name} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return server;
}

/**
 * Stops taking connections and resolves once the open ones are closed. A keep-alive connection
 * whose request was still running when this was called would stay open, idle, for the whole
 * keep-alive timeout: idle connections are closed as they turn idle.
 */
export function stopServing(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const closer = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(closer);
      resolve();
    });
  });
}

/** On SIGTERM or SIGINT: runs `closers` in order, each failure logged but not stopping the others, then exits 0. */
export function closeOnSignal(...closers: (() => Promise<unknown>)[]): void {
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    for (const closer of closers) await closer().catch((error) => console.error('while closing:', error));
    process.exit(0);
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
