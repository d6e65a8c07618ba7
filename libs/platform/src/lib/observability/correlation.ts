import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The W3C Trace Context header: `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`. */
export const TRACEPARENT_HEADER = 'traceparent';
/** The older convention, for callers that do not speak W3C Trace Context. */
export const REQUEST_ID_HEADER = 'x-request-id';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id of what runs now: the id of the request that started it, carried into the
 * jobs it queued and into the requests those jobs make. Undefined outside any request or job.
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it starts) under `correlationId`. */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run(correlationId, work);
}

/** A fresh id, shaped as a W3C trace-id so that it can travel in `traceparent`. */
export function newCorrelationId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The correlation id that came with a request: the trace-id of a valid `traceparent`, else a
 * well-formed `X-Request-Id`, else a new one. Malformed headers are ignored, not trusted.
 */
export function correlationIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const traceparent = single(headers[TRACEPARENT_HEADER]);
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]) && !/^0+$/.test(match[3])) return match[2];
  const requestId = single(headers[REQUEST_ID_HEADER])?.trim();
  if (requestId && REQUEST_ID.test(requestId)) return requestId;
  return newCorrelationId();
}

/**
 * Headers that carry `correlationId` on an outgoing request: always `X-Request-Id`, and a
 * `traceparent` (with a new parent-id for this hop) when the id is a valid trace-id.
 */
export function correlationHeaders(correlationId: string): Record<string, string> {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: correlationId };
  if (TRACE_ID.test(correlationId) && !/^0+$/.test(correlationId)) {
    headers[TRACEPARENT_HEADER] = `00-${correlationId}-${randomBytes(8).toString('hex')}-01`;
  }
  return headers;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
