import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedWithin, withDeadline } from '../src';
import { DeadlineExceeded } from '../src/lib/scheduling/deadline';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('a deadline on a wait', () => {
  it('gives the value of work that settles in time', async () => {
    assert.equal(await withDeadline(after(5, 'done'), 1000, 'late'), 'done');
  });

  it('rejects with DeadlineExceeded and its message when the work takes longer', async () => {
    await assert.rejects(
      withDeadline(never(), 20, 'Redis did not answer'),
      (error: Error) => error instanceof DeadlineExceeded && error.message === 'Redis did not answer',
    );
  });

  it('passes on the work’s own failure, and drops one that comes after the deadline', async () => {
    await assert.rejects(withDeadline(Promise.reject(new Error('refused')), 1000, 'late'), /refused/);
    const failsLate = new Promise((_, reject) => setTimeout(() => reject(new Error('too late to matter')), 30));
    await assert.rejects(withDeadline(failsLate, 5, 'late'), DeadlineExceeded);
    // No unhandled rejection fails the test process when failsLate rejects.
    await after(50, undefined);
  });

  it('says whether work finished within the time, and rejects as the work does', async () => {
    assert.equal(await finishedWithin(after(5, 'x'), 1000), true);
    assert.equal(await finishedWithin(never(), 20), false);
    await assert.rejects(finishedWithin(Promise.reject(new Error('broken')), 1000), /broken/);
  });
});
