import { RetryPolicy, RetryPolicySpec, assertRetryIndex } from './retry-policy';

/** One attempt, no retry: for requests whose result is worthless when late. */
export class DontRetry implements RetryPolicy {
  readonly retries = 0;

  waitBeforeRetry(k: number): number {
    assertRetryIndex(this, k);
    return 0;
  }

  toJSON(): RetryPolicySpec {
    return { kind: 'dont-retry' };
  }
}
