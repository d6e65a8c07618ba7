import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `action(index, dueAt)` `count` times at `ratePerSecond`, on a schedule fixed in advance:
 * a slow action never delays the next call (open loop). `dueAt` is the performance.now() at which
 * the call was due. Resolves when every call has been made; the actions may still be running.
 */
export async function onSchedule(ratePerSecond: number, count: number, action: (index: number, dueAt: number) => void): Promise<void> {
  const periodMs = 1000 / ratePerSecond;
  const startAt = performance.now() + 5;
  let index = 0;
  while (index < count) {
    const now = performance.now();
    for (; index < count && startAt + index * periodMs <= now; index += 1) action(index, startAt + index * periodMs);
    if (index < count) await sleep(Math.max(0, startAt + index * periodMs - performance.now()));
  }
}
