import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultSchedule } from '../src';

const draws = (schedule: FaultSchedule, n: number) => Array.from({ length: n }, () => schedule.draw());

describe('FaultSchedule', () => {
  it('gives the same schedule for the same seed, so a chaos run can be replayed', () => {
    assert.deepEqual(draws(new FaultSchedule(42), 2000), draws(new FaultSchedule(42), 2000));
  });

  it('gives another schedule for another seed', () => {
    assert.notDeepEqual(draws(new FaultSchedule(42), 2000), draws(new FaultSchedule(43), 2000));
  });

  it('injects each fault at about its rate', () => {
    const faults = draws(new FaultSchedule(7, { reset: 0.1, unavailable: 0.2 }), 10_000);
    const share = (fault: string) => faults.filter((drawn) => drawn === fault).length / faults.length;
    assert.ok(Math.abs(share('reset') - 0.1) < 0.02, `reset ${share('reset')}`);
    assert.ok(Math.abs(share('unavailable') - 0.2) < 0.02, `unavailable ${share('unavailable')}`);
    assert.equal(share('delay'), 0);
  });
});
