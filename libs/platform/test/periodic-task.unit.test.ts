import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeriodicTask } from '../src';

describe('a periodic task', () => {
  it('runs one at a time: a run asked for during another joins it', async () => {
    let runs = 0;
    let finish!: () => void;
    const task = new PeriodicTask(
      () => new Promise<number>((resolve) => ((runs += 1), (finish = () => resolve(runs)))),
      3_600_000,
      () => undefined,
    );
    const first = task.runNow();
    const second = task.runNow();
    finish();
    assert.deepEqual(await Promise.all([first, second]), [1, 1]);
    assert.equal(await (task.runNow(), finish(), task.runNow()), 2, 'the next run is a new one');
  });

  it('runs every interval until stopped, and stop waits for the run in progress', async () => {
    let runs = 0;
    let inProgress = false;
    const task = new PeriodicTask(
      async () => {
        inProgress = true;
        await new Promise((resolve) => setTimeout(resolve, 30));
        inProgress = false;
        return (runs += 1);
      },
      10,
      () => undefined,
    );
    task.start();
    while (runs < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    while (!inProgress) await new Promise((resolve) => setTimeout(resolve, 1));
    await task.stop();
    assert.equal(inProgress, false, 'the run in progress finished before stop() resolved');
    const stoppedAt = runs;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(runs, stoppedAt, 'no run after stop');
  });

  it('reports a failed run and keeps going', async () => {
    const errors: string[] = [];
    let calls = 0;
    const task = new PeriodicTask(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        return calls;
      },
      5,
      (error) => errors.push(error.message),
    );
    task.start();
    while (calls < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await task.stop();
    assert.deepEqual(errors, ['database away']);
  });
});
