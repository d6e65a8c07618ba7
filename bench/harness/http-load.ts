import { Pool } from 'undici';

/** A status of 0 stands for no answer at all: refused, reset or timed out. */
export const NO_ANSWER = 0;

/**
 * Where a load generator sends its requests: one keep-alive connection pool to one origin on
 * this machine. Answers are read to the end and dropped; only their status counts.
 */
export class HttpLoadTarget {
  private readonly pool: Pool;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  /** POSTs a JSON body; resolves to the answer's status, or NO_ANSWER. */
  async postJson(path: string, body: string): Promise<number> {
    try {
      const response = await this.pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await response.body.dump();
      return response.statusCode;
    } catch {
      return NO_ANSWER;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** The body of the `index`-th payment a load generator makes (amounts vary, nothing else does). */
export function paymentBody(index: number): string {
  return JSON.stringify({ phoneNumber: '393331234567', amount: 100 + (index % 100_000), currency: 'EUR' });
}
