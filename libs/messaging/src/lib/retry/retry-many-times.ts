import { RetryPolicy, RetryPolicySpec, assertPositiveSeconds, assertRetryIndex } from './retry-policy';

/** `n` retries at a fixed spacing: `RetryManyTimes.forTimes(3).spaced(60)` makes 4 attempts a minute apart. */
export class RetryManyTimes implements RetryPolicy {
  private constructor(
    readonly retries: number,
    readonly spacedSeconds: number,
  ) {
    if (!Number.isInteger(retries) || retries < 1) {
      throw new RangeError(`RetryManyTimes needs a whole number of retries of at least 1, got ${retries}`);
    }
    assertPositiveSeconds('RetryManyTimes spacing', spacedSeconds);
  }

  /** `n` retries, 60 seconds apart unless `spaced()` says otherwise. */
  static forTimes(n: number): RetryManyTimes {
    return new RetryManyTimes(n, 60);
  }

  /** The same number of retries, `seconds` apart. */
  spaced(seconds: number): RetryManyTimes {
    return new RetryManyTimes(this.retries, seconds);
  }

  waitBeforeRetry(k: number): number {
    assertRetryIndex(this, k);
    return this.spacedSeconds;
  }

  toJSON(): RetryPolicySpec {
    return { kind: 'retry-many-times', times: this.retries, spacedSeconds: this.spacedSeconds };
  }
}
