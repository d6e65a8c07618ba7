import type { BenchResults } from './results';

/** One target of issue 7, and whether this run met it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const RATIO = 0.8;
const LATENCY_P99_MS = 25;
const MESSAGING_P99_MS = 50;
const PEAK_RSS_MB = 250;
const SLOW_SUBSCRIBER_FACTOR = 2;

/** The targets the measurements of `results` speak to; a measurement that did not run checks nothing. */
export function checkTargets(results: Pick<BenchResults, 'delivery' | 'endToEnd' | 'messagingVsRpc' | 'events'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const check = (target: string, measured: string, met: boolean) => checks.push({ target, measured, met });
  const { delivery, endToEnd, messagingVsRpc, events } = results;
  // Issue 23: a subscriber that answers only after the delivery timeout slows neither the others nor billing's messages.
  const calm = events?.find((run) => run.subscribers === 3 && run.slow === 0);
  const withSlow = events?.find((run) => run.subscribers === 3 && run.slow === 1);
  if (calm && withSlow) {
    for (const [what, before, after] of [
      ['the other subscribers’ events', calm.latencyAtRate.eventLatency.p99, withSlow.latencyAtRate.eventLatency.p99],
      ['billing’s messages to connectivity', calm.latencyAtRate.messageLatency.p99, withSlow.latencyAtRate.messageLatency.p99],
    ] as const) {
      check(
        `beside a slow subscriber, ${what} at ${calm.latencyAtRate.ratePerSecond} payments/s: delivery p99 <= ${SLOW_SUBSCRIBER_FACTOR} x without it`,
        `${after.toFixed(0)} ms against ${before.toFixed(0)} ms`,
        after <= SLOW_SUBSCRIBER_FACTOR * before,
      );
    }
  }
  if (delivery) check(`delivery stage: billing >= ${RATIO} x the bare pipeline's messages/s`, `${delivery.ratio.toFixed(2)} x`, delivery.ratio >= RATIO);
  if (endToEnd) {
    check(`end to end: billing + connectivity >= ${RATIO} x the bare baseline's messages/s`, `${endToEnd.ratio.toFixed(2)} x`, endToEnd.ratio >= RATIO);
    const { latency, sent, succeeded, ratePerSecond } = endToEnd.real.latencyAtRate;
    check(
      `POST /payments p99 <= ${LATENCY_P99_MS} ms at ${ratePerSecond} req/s, every one answered 201`,
      `${latency.p99.toFixed(1)} ms, ${succeeded}/${sent} 201`,
      latency.p99 <= LATENCY_P99_MS && succeeded === sent,
    );
  }
  for (const cell of messagingVsRpc?.filter((cell) => cell.billing === 'billing (messaging)') ?? []) {
    check(
      `billing p99 <= ${MESSAGING_P99_MS} ms at ${cell.ratePerSecond} req/s, connectivity ${cell.connectivity}, every one answered 201`,
      `${cell.latency.p99.toFixed(1)} ms, ${cell.succeeded}/${cell.sent} 201`,
      cell.latency.p99 <= MESSAGING_P99_MS && cell.succeeded === cell.sent,
    );
  }
  const appMemory = [
    ...(delivery?.real.usage.map((usage) => ({ ...usage, during: 'delivery stage' })) ?? []),
    ...(endToEnd?.real.usage.map((usage) => ({ ...usage, during: 'end to end' })) ?? []),
  ].filter((usage) => Number.isFinite(usage.peakRssMb));
  for (const { process, peakRssMb, during } of appMemory)
    check(`${process} peak RSS < ${PEAK_RSS_MB} MB during the ${during}`, `${peakRssMb.toFixed(0)} MB`, peakRssMb < PEAK_RSS_MB);
  return checks;
}
