import { RetryPolicy, RetryPolicySpec, assertPositiveSeconds, assertRetryIndex } from './retry-policy';

/**
 * One retry after a pause. The smallest step past "don't retry", and the one that forces
 * the receiver to be idempotent: the first attempt may have been applied even though it failed.
 */
export class RetryOnce implements RetryPolicy {
  readonly retries = 1;

  constructor(readonly afterSeconds = 60) {
    assertPositiveSeconds('RetryOnce afterSeconds', afterSeconds);
  }

  waitBeforeRetry(k: number): number {
    assertRetryIndex(this, k);
    return this.afterSeconds;
  }

  toJSON(): RetryPolicySpec {
    return { kind: 'retry-once', afterSeconds: this.afterSeconds };
  }
}
