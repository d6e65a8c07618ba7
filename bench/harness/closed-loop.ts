import { performance } from 'node:perf_hooks';
import { LatencySummary, perSecond, summarize } from './stats';

/** What a closed-loop run measured. */
export interface ClosedLoopOutcome {
  succeeded: number;
  /** Requests that did not succeed, and were made again. */
  failed: number;
  elapsedMs: number;
  perSecond: number;
  /** Of the successful requests, from sending to the answer. */
  latency: LatencySummary;
}

/**
 * `clients` clients, each sending its next request as soon as its previous one is answered,
 * until `count` requests succeeded. A failed request is made again; more failures than `count`
 * stop the run, since the system under measurement is then broken rather than slow.
 */
export async function runClosedLoop(count: number, clients: number, send: (index: number) => Promise<boolean>): Promise<ClosedLoopOutcome> {
  const latencies: number[] = [];
  let claimed = 0;
  let failed = 0;
  const client = async () => {
    while (claimed < count) {
      const index = claimed++;
      const sentAt = performance.now();
      if (await send(index)) {
        latencies.push(performance.now() - sentAt);
        continue;
      }
      failed += 1;
      if (failed > count) throw new Error(`more than ${count} requests failed`);
      claimed -= 1;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedMs = performance.now() - startedAt;
  return { succeeded: latencies.length, failed, elapsedMs, perSecond: perSecond(latencies.length, elapsedMs), latency: summarize(latencies) };
}
