import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perSecond, quantile, summarize } from '../harness/stats';

describe('the bench statistics', () => {
  it('takes a quantile by nearest rank, so a p99 is a latency that was really observed', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    assert.equal(quantile(samples, 0.5), 50);
    assert.equal(quantile(samples, 0.99), 99);
    assert.equal(quantile(samples, 1), 100);
    assert.equal(quantile([3, 10], 0.9), 10, 'no interpolation between samples');
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });

  it('summarizes samples in any order, sorting them numerically', () => {
    assert.deepEqual(summarize([9, 100, 20, 1]), { count: 4, mean: 32.5, p50: 9, p90: 100, p99: 100, max: 100 });
  });

  it('gives a rate per second, and no rate for no time', () => {
    assert.equal(perSecond(50, 250), 200);
    assert.ok(Number.isNaN(perSecond(5, 0)));
  });
});
