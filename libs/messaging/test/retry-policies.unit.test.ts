import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DontRetry, ExponentialBackoff } from '../src';
import { RetryManyTimes } from '../src/lib/retry/retry-many-times';
import { RetryOnce } from '../src/lib/retry/retry-once';
import { RetryPolicy, allowsAnotherAttempt, retrySchedule } from '../src/lib/retry/retry-policy';
import { retryPolicyFromSpec } from '../src/lib/retry/retry-policy-from-spec';

function attemptsAllowed(policy: RetryPolicy): number {
  let attempts = 1;
  while (allowsAnotherAttempt(policy, attempts)) attempts += 1;
  return attempts;
}

describe('retry policies', () => {
  it('DontRetry makes one attempt and schedules no retry', () => {
    const policy = new DontRetry();
    assert.deepEqual(retrySchedule(policy), []);
    assert.equal(attemptsAllowed(policy), 1);
  });

  it('RetryOnce retries once, 60 seconds after the first failure by default', () => {
    assert.deepEqual(retrySchedule(new RetryOnce()), [60]);
    assert.deepEqual(retrySchedule(new RetryOnce(0.25)), [0.25]);
    assert.equal(attemptsAllowed(new RetryOnce()), 2);
  });

  it('RetryManyTimes.forTimes(n).spaced(s) makes n retries s seconds apart, 60 by default', () => {
    assert.deepEqual(retrySchedule(RetryManyTimes.forTimes(3)), [60, 60, 60]);
    assert.deepEqual(retrySchedule(RetryManyTimes.forTimes(4).spaced(0.5)), [0.5, 0.5, 0.5, 0.5]);
    assert.equal(attemptsAllowed(RetryManyTimes.forTimes(4).spaced(1)), 5);
  });

  it('ExponentialBackoff doubles its wait, with round(log2(t/s)) retries spanning about t seconds', () => {
    const policy = ExponentialBackoff.atFirstWaiting(5).upTo(3600);
    assert.equal(policy.retries, Math.round(Math.log2(3600 / 5)));
    assert.deepEqual(retrySchedule(policy), [5, 10, 20, 40, 80, 160, 320, 640, 1280]);
    const total = retrySchedule(policy).reduce((sum, wait) => sum + wait, 0);
    assert.ok(total > 3600 / 2 && total < 3600 * 2, `waits span ${total} s`);
    assert.equal(attemptsAllowed(policy), 10);
  });

  it('ExponentialBackoff works in fractions of a second, so tests can run a whole schedule quickly', () => {
    assert.deepEqual(retrySchedule(ExponentialBackoff.atFirstWaiting(0.01).upTo(0.08)), [0.01, 0.02, 0.04]);
  });

  it('ExponentialBackoff retries at least once when the interval equals the first wait', () => {
    assert.deepEqual(retrySchedule(ExponentialBackoff.atFirstWaiting(2).upTo(2)), [2]);
  });

  it('refuses schedules that make no sense, saying why', () => {
    assert.throws(() => new RetryOnce(0), /positive number of seconds/);
    assert.throws(() => RetryManyTimes.forTimes(0), /at least 1/);
    assert.throws(() => RetryManyTimes.forTimes(2).spaced(-1), /positive/);
    assert.throws(() => ExponentialBackoff.atFirstWaiting(10).upTo(5), /shorter than its first wait/);
    assert.throws(() => new DontRetry().waitBeforeRetry(1), /allows 0 retries/);
  });

  it('every policy survives its stored form unchanged', () => {
    const policies = [new DontRetry(), new RetryOnce(7), RetryManyTimes.forTimes(3).spaced(2), ExponentialBackoff.atFirstWaiting(5).upTo(3600)];
    for (const policy of policies) {
      const stored = JSON.parse(JSON.stringify(policy.toJSON()));
      const restored = retryPolicyFromSpec(stored);
      assert.deepEqual(restored.toJSON(), policy.toJSON());
      assert.deepEqual(retrySchedule(restored), retrySchedule(policy));
    }
  });
});
