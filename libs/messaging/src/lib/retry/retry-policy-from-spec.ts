import { DontRetry } from './dont-retry';
import { ExponentialBackoff } from './exponential-backoff';
import { RetryManyTimes } from './retry-many-times';
import { RetryOnce } from './retry-once';
import { RetryPolicy, RetryPolicySpec } from './retry-policy';

/** Rebuilds a policy from the form stored with a job. */
export function retryPolicyFromSpec(spec: RetryPolicySpec): RetryPolicy {
  switch (spec.kind) {
    case 'dont-retry':
      return new DontRetry();
    case 'retry-once':
      return new RetryOnce(spec.afterSeconds);
    case 'retry-many-times':
      return RetryManyTimes.forTimes(spec.times).spaced(spec.spacedSeconds);
    case 'exponential-backoff':
      return ExponentialBackoff.atFirstWaiting(spec.firstWaitSeconds).upTo(spec.upToSeconds);
    default:
      throw new TypeError(`unknown retry policy ${JSON.stringify(spec)}`);
  }
}
