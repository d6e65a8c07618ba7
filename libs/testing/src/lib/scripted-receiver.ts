import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** How the receiver answers one request: a status (with optional headers), or a broken exchange. */
export type ScriptedAnswer = number | { status: number; headers?: Record<string, string>; body?: unknown } | 'reset' | 'hang';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** When the request arrived, in ms since the epoch. */
  receivedAt: number;
}

/**
 * A stand-in HTTP receiver on 127.0.0.1 that answers requests from a script, in order
 * (then with `otherwise`), and records every request it got. For tests of the sender's side.
 */
export class ScriptedReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly script: ScriptedAnswer[],
    private readonly otherwise: ScriptedAnswer,
  ) {
    this.server = createServer((request, response) => void this.answer(request, response));
  }

  /** Starts a receiver answering `script` in order, then `otherwise` (202 unless said). */
  static async start(script: ScriptedAnswer[] = [], otherwise: ScriptedAnswer = 202, port = 0): Promise<ScriptedReceiver> {
    const receiver = new ScriptedReceiver([...script], otherwise);
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(port, '127.0.0.1', resolve);
    });
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt,
    });
    const answer = this.script.length > 0 ? this.script.shift()! : this.otherwise;
    if (answer === 'reset') {
      request.socket.destroy();
      return;
    }
    if (answer === 'hang') {
      this.hanging.add(response);
      return;
    }
    const { status, headers = {}, body = {} } = typeof answer === 'number' ? { status: answer } : answer;
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }
}
