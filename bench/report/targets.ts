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

/** The targets the measurements of `results` speak to; a measurement that did not run checks nothing. */
export function checkTargets(results: Pick<BenchResults, 'delivery' | 'endToEnd' | 'messagingVsRpc'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const check = (target: string, measured: string, met: boolean) => checks.push({ target, measured, met });
  const { delivery, endToEnd, messagingVsRpc } = results;
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
