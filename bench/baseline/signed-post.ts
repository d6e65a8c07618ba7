import { Agent, request } from 'node:http';
import { AUTHENTICATION_HEADER, authenticationHeader } from '@onebip/messaging';

/** What one POST came to: the receiver's status, or why there was no answer. */
export type PostOutcome = { status: number } | { error: string };

/**
 * POSTs JSON bodies signed with X-Authentication (docs/protocol.md, with libs/messaging's own
 * functions), over node:http and one keep-alive connection pool.
 */
export class SignedPoster {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly secrets: readonly string[],
    private readonly timeoutMs = 10_000,
  ) {}

  post(url: string, body: string): Promise<PostOutcome> {
    const target = new URL(url);
    const signature = authenticationHeader(this.secrets, Math.floor(Date.now() / 1000), { method: 'POST', path: `${target.pathname}${target.search}`, body });
    return new Promise((resolve) => {
      const outgoing = request(
        target,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [AUTHENTICATION_HEADER]: signature },
          timeout: this.timeoutMs,
        },
        (response) => {
          // Drained, not read: the status is the answer, and the connection goes back to the pool.
          response.resume();
          response.once('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.once('error', (error) => resolve({ error: error.message }));
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error(`timeout after ${this.timeoutMs} ms`)));
      outgoing.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ? `${error.code}: ${error.message}` : error.message }));
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `HTTP 202`, or the reason there was no answer: what an attempt came to, as billing records it. */
export function describePost(outcome: PostOutcome): string {
  return 'status' in outcome ? `HTTP ${outcome.status}` : outcome.error;
}
