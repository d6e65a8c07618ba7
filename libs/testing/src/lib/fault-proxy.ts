import { Agent, IncomingMessage, Server, ServerResponse, createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Fault } from './fault-schedule';

/** Headers about one connection, which a proxy does not pass on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * An HTTP proxy on 127.0.0.1, in front of a real service, that injects faults request by
 * request, as `decide` says:
 * - `reset`: the connection is torn down before the request is forwarded;
 * - `drop-response`: the request is forwarded and the service answers (it has committed), but
 *   the answer never reaches the client, which is left to time out;
 * - `delay`: the request is forwarded after `delayMs`;
 * - `unavailable`: 503 at once, nothing forwarded.
 * It counts what it did, and the statuses the service answered.
 */
export class FaultProxy {
  readonly injected: Record<Fault, number> = { none: 0, reset: 0, 'drop-response': 0, delay: 0, unavailable: 0 };
  readonly upstreamStatuses = new Map<number, number>();
  /** Requests forwarded whose answer has not come back from the service yet. */
  inFlight = 0;
  private readonly held = new Set<ServerResponse>();
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server: Server;

  private constructor(
    private readonly target: URL,
    public decide: (n: number) => Fault,
    private readonly delayMs: number,
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(targetUrl: string, decide: (n: number) => Fault = () => 'none', delayMs = 300): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(targetUrl), decide, delayMs);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get requests(): number {
    return Object.values(this.injected).reduce((sum, count) => sum + count, 0);
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const fault = this.decide(this.requests + 1);
    this.injected[fault] += 1;
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (fault === 'unavailable') {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable"}}');
      return;
    }
    if (fault === 'delay') await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    let answer: { status: number; headers: IncomingMessage['headers']; body: Buffer };
    try {
      answer = await this.forward(request, Buffer.concat(chunks));
    } catch {
      // The service is not there: the client sees what it would see without the proxy.
      request.socket.destroy();
      return;
    }
    this.upstreamStatuses.set(answer.status, (this.upstreamStatuses.get(answer.status) ?? 0) + 1);
    if (fault === 'drop-response') {
      this.held.add(response);
      response.on('close', () => this.held.delete(response));
      return;
    }
    response.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private forward(request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
    this.inFlight += 1;
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: this.target.host },
          agent: this.agent,
        },
        async (answer) => {
          const parts: Buffer[] = [];
          for await (const part of answer) parts.push(part as Buffer);
          const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
          resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    }).finally(() => (this.inFlight -= 1));
  }
}
