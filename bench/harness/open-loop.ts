import { performance } from 'node:perf_hooks';
import { onSchedule } from './schedule';
import { LatencySummary, summarize } from './stats';

/** What a fixed-rate run measured: latencies from each request's scheduled moment. */
export interface OpenLoopOutcome {
  ratePerSecond: number;
  /** Requests counted (the warm-up's are not). */
  sent: number;
  /** Answered with a status `isSuccess` accepts. */
  succeeded: number;
  /** How many requests got each status; `0` is no answer. */
  statuses: Record<string, number>;
  /** Every counted request, successful or not. */
  latency: LatencySummary;
}

export interface OpenLoopPlan {
  ratePerSecond: number;
  seconds: number;
  /** Sent first at the same rate, and not counted. */
  warmupSeconds: number;
}

/**
 * Sends `send(index)` at a fixed rate whatever the answers, and measures each request from the
 * moment it was due, not from when it left: a stall shows in the latency of every request it
 * held back, as a client at that rate would see it (no coordinated omission).
 */
export async function runOpenLoop(
  plan: OpenLoopPlan,
  send: (index: number) => Promise<number>,
  isSuccess: (status: number) => boolean,
): Promise<OpenLoopOutcome> {
  const uncounted = Math.round(plan.warmupSeconds * plan.ratePerSecond);
  const total = uncounted + Math.round(plan.seconds * plan.ratePerSecond);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let succeeded = 0;
  const requests: Promise<void>[] = [];
  await onSchedule(plan.ratePerSecond, total, (index, dueAt) => {
    requests.push(
      send(index).then((status) => {
        if (index < uncounted) return;
        latencies.push(performance.now() - dueAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (isSuccess(status)) succeeded += 1;
      }),
    );
  });
  await Promise.all(requests);
  return { ratePerSecond: plan.ratePerSecond, sent: latencies.length, succeeded, statuses, latency: summarize(latencies) };
}
