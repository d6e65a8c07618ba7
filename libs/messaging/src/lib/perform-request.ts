import { Agent, Dispatcher, errors, request as undiciRequest } from 'undici';
import { HttpRequest } from './http-request';

/** What one attempt at a request came to: an answer with a status, or no answer at all. */
export type AttemptResult = { kind: 'answered'; status: number; retryAfterSeconds?: number } | { kind: 'unanswered'; error: string };

/** One keep-alive connection pool shared by every request a process delivers. */
const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 128 });

/**
 * Performs `request` once. Never throws for network trouble: a refused connection,
 * an unresolvable host, a reset or a timeout come back as `unanswered` with the reason,
 * because for the sender they all mean the same thing: it does not know what happened.
 */
export async function performRequest(request: HttpRequest, dispatcher: Dispatcher = sharedAgent): Promise<AttemptResult> {
  try {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      dispatcher,
      signal: AbortSignal.timeout(request.timeoutMs),
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    // The body is not used (never act on the result of an external call), but it must be
    // consumed so the keep-alive connection returns to the pool.
    await response.body.dump();
    return { kind: 'answered', status: response.statusCode, retryAfterSeconds: parseRetryAfter(response.headers['retry-after']) };
  } catch (error) {
    return { kind: 'unanswered', error: describeNetworkError(error, request.timeoutMs) };
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timeout after ${timeoutMs} ms`;
  }
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return `timeout after ${timeoutMs} ms`;
  }
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

/** Retry-After in seconds, from either of its forms (seconds, or an HTTP date). */
export function parseRetryAfter(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}
