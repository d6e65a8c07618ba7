/**
 * The serializable form of a retry policy: what is stored with a job in Redis,
 * so that the worker that picks the job up applies the policy the sender chose.
 */
export type RetryPolicySpec =
  | { kind: 'dont-retry' }
  | { kind: 'retry-once'; afterSeconds: number }
  | { kind: 'retry-many-times'; times: number; spacedSeconds: number }
  | { kind: 'exponential-backoff'; firstWaitSeconds: number; upToSeconds: number };

/**
 * Decides how often a failed delivery is tried again, and how long to wait before each retry.
 * Policies are pure values: the same policy always gives the same schedule.
 */
export interface RetryPolicy {
  /** How many retries follow the first attempt: a job makes at most `retries + 1` attempts. */
  readonly retries: number;
  /** Seconds to wait before retry `k` (1 for the first retry). Fractions of a second are allowed. */
  waitBeforeRetry(k: number): number;
  /** The serializable form stored with the job. */
  toJSON(): RetryPolicySpec;
}

/** The waits, in seconds, before each retry the policy allows, in order. */
export function retrySchedule(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.retries }, (_, index) => policy.waitBeforeRetry(index + 1));
}

/** Whether a job that has made `attemptsMade` attempts, all failed, gets another one. */
export function allowsAnotherAttempt(policy: RetryPolicy, attemptsMade: number): boolean {
  return attemptsMade <= policy.retries;
}

export function assertPositiveSeconds(name: string, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds, got ${seconds}`);
  }
}

export function assertRetryIndex(policy: RetryPolicy, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > policy.retries) {
    throw new RangeError(`retry ${k} is outside this policy, which allows ${policy.retries} retries`);
  }
}
