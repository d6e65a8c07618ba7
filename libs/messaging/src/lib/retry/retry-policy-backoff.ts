import type { MinimalJob } from 'bullmq';
import type { RequestJobData } from '../request-job';
import type { RetryPolicy } from './retry-policy';
import { retryPolicyFromSpec } from './retry-policy-from-spec';

/** The BullMQ backoff type under which a job's own retry policy decides its waits. */
export const RETRY_POLICY_BACKOFF = 'retry-policy';

/** Longest a Retry-After header may hold back a retry. */
const RETRY_AFTER_CAP_SECONDS = 3600;

/** An attempt that failed in a way retrying may mend; carries the receiver's Retry-After. */
export class TransientDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TransientDeliveryError';
  }
}

/**
 * BullMQ's custom backoff strategy: the wait before retry `k` is what the job's stored policy
 * says, or the receiver's Retry-After when that is longer (capped at an hour). Milliseconds.
 * BullMQ calls it with the 1-based number of the retry about to be scheduled.
 */
export function retryPolicyBackoff(k: number, type?: string, error?: Error, job?: MinimalJob): number {
  if (type !== RETRY_POLICY_BACKOFF || !job) return 0;
  const policy = retryPolicyFromSpec((job.data as RequestJobData).retryPolicy);
  return waitBeforeRetryMs(policy, k, error instanceof TransientDeliveryError ? error.retryAfterSeconds : undefined);
}

/** Milliseconds before retry `k`: the policy's wait, or a longer Retry-After (capped at an hour). */
export function waitBeforeRetryMs(policy: RetryPolicy, k: number, retryAfterSeconds?: number): number {
  const policyWait = policy.waitBeforeRetry(Math.min(k, policy.retries));
  const retryAfter = Math.min(retryAfterSeconds ?? 0, RETRY_AFTER_CAP_SECONDS);
  return Math.round(Math.max(policyWait, retryAfter) * 1000);
}
