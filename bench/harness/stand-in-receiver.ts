import { randomUUID } from 'node:crypto';
import { Server, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A receiver that stands in for a service outside the one measured: connectivity as billing sees
 * it, or the SMS carrier as connectivity sees it. It reads each request and answers 202 after a
 * delay that can be changed while it runs, or is down (its port closed, connections refused). It
 * checks nothing, and runs in the bench's process: its cost is not the measured system's.
 */
export class StandInReceiver {
  private delayMs = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(private port: number) {}

  static async start(): Promise<StandInReceiver> {
    const standIn = new StandInReceiver(0);
    await standIn.up();
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers every request from now on after `delayMs`; listens again if it was down. */
  async answerAfter(delayMs: number): Promise<void> {
    this.delayMs = delayMs;
    if (!this.server) await this.up();
  }

  /** Closes the port and every connection: callers get ECONNREFUSED, or a reset mid-request. */
  async goDown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async up(): Promise<void> {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const answer = () => {
          if (response.destroyed) return;
          response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomUUID() }));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
}
