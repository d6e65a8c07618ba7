import { HttpRequest } from './http-request';
import { AttemptResult } from './perform-request';

/**
 * What an attempt means for the job:
 * - `done`: the receiver answered one of the `ensureIs` statuses;
 * - `transient`: retrying may help (no answer, 408, 429, 5xx);
 * - `permanent`: retrying cannot help (any other 4xx, an unexpected 1xx, 2xx or 3xx).
 */
export type AttemptVerdict = 'done' | 'transient' | 'permanent';

const TRANSIENT_STATUSES = new Set([408, 429]);

/** Classifies one attempt's result against what the request expects. */
export function classifyAttempt(request: HttpRequest, result: AttemptResult): AttemptVerdict {
  if (result.kind === 'unanswered') return 'transient';
  if (request.isDoneBy(result.status)) return 'done';
  if (result.status >= 500 || TRANSIENT_STATUSES.has(result.status)) return 'transient';
  return 'permanent';
}

/** A human-readable account of an attempt's result, for logs and the failed reason of a job. */
export function describeAttempt(result: AttemptResult): string {
  return result.kind === 'answered' ? `HTTP ${result.status}` : result.error;
}
