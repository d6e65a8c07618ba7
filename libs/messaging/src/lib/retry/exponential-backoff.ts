import { RetryPolicy, RetryPolicySpec, assertPositiveSeconds, assertRetryIndex } from './retry-policy';

/**
 * Waits `s`, `2s`, `4s`, … between attempts, with `round(log2(t / s))` retries (at least one),
 * so that the waits together span about `t` seconds: the semantics of
 * `ExponentialBackoff::forAnInterval` in Onebip's recruiter job queue.
 *
 * `ExponentialBackoff.atFirstWaiting(5).upTo(3600)` retries 9 times, waiting 5 s up to 1280 s.
 */
export class ExponentialBackoff implements RetryPolicy {
  readonly retries: number;

  private constructor(
    readonly firstWaitSeconds: number,
    readonly upToSeconds: number,
  ) {
    assertPositiveSeconds('ExponentialBackoff first wait', firstWaitSeconds);
    assertPositiveSeconds('ExponentialBackoff interval', upToSeconds);
    if (upToSeconds < firstWaitSeconds) {
      throw new RangeError(`ExponentialBackoff interval (${upToSeconds} s) is shorter than its first wait (${firstWaitSeconds} s)`);
    }
    this.retries = Math.max(1, Math.round(Math.log2(upToSeconds / firstWaitSeconds)));
  }

  /** Starts a policy whose first retry waits `seconds`; finish it with `upTo()`. */
  static atFirstWaiting(seconds: number): { upTo(seconds: number): ExponentialBackoff } {
    return { upTo: (upToSeconds: number) => new ExponentialBackoff(seconds, upToSeconds) };
  }

  waitBeforeRetry(k: number): number {
    assertRetryIndex(this, k);
    return this.firstWaitSeconds * 2 ** (k - 1);
  }

  toJSON(): RetryPolicySpec {
    return { kind: 'exponential-backoff', firstWaitSeconds: this.firstWaitSeconds, upToSeconds: this.upToSeconds };
  }
}
