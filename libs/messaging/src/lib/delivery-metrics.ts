import { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AttemptVerdict } from './classify-attempt';

/** How an attempt ended, as counted: the receiver took it, already had it, or it failed. */
export type AttemptOutcome = 'accepted' | 'duplicate' | 'transient_failure' | 'permanent_failure';

const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/**
 * Prometheus metrics of one queue of RequestJobs: its depth by state (read from Redis when
 * scraped), attempts by outcome, retries, and the delay from queueing to acknowledgement.
 */
export class DeliveryMetrics {
  private readonly attempts: Counter<'queue' | 'outcome'>;
  private readonly retries: Counter<'queue'>;
  private readonly latency: Histogram<'queue'>;

  constructor(
    registry: Registry,
    private readonly queue: Queue,
  ) {
    this.attempts = new Counter({
      name: 'messaging_delivery_attempts_total',
      help: 'Delivery attempts by outcome: accepted, duplicate (409: the receiver had it), transient_failure, permanent_failure',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'messaging_delivery_retries_total',
      help: 'Retries scheduled after a transient failure',
      labelNames: ['queue'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'messaging_delivery_latency_seconds',
      help: 'From the moment a message was queued to its acknowledgement by the receiver, retries included',
      labelNames: ['queue'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
      registers: [registry],
    });
    const depth: Gauge<'queue' | 'state'> = new Gauge({
      name: 'messaging_queue_jobs',
      help: 'Jobs in the queue by state (waiting, delayed, active, failed), read from Redis at each scrape',
      labelNames: ['queue', 'state'],
      registers: [registry],
      collect: (): Promise<void> => this.collectDepth(depth),
    });
  }

  /** Counts one attempt; `queuedAt` is when the job entered the queue (epoch ms). */
  recordAttempt(verdict: AttemptVerdict, status: number | undefined, retrying: boolean, queuedAt: number): void {
    const queue = this.queue.name;
    this.attempts.inc({ queue, outcome: outcomeOf(verdict, status) });
    if (retrying) this.retries.inc({ queue });
    if (verdict === 'done') this.latency.observe({ queue }, Math.max(0, Date.now() - queuedAt) / 1000);
  }

  private async collectDepth(depth: Gauge<'queue' | 'state'>): Promise<void> {
    // A scrape while Redis is away still answers, without the depth: the other metrics matter then.
    const counts = await this.queue.getJobCounts(...QUEUE_STATES).catch(() => undefined);
    if (!counts) return;
    for (const state of QUEUE_STATES) depth.set({ queue: this.queue.name, state }, counts[state] ?? 0);
  }
}

function outcomeOf(verdict: AttemptVerdict, status: number | undefined): AttemptOutcome {
  if (verdict === 'done') return status === 409 ? 'duplicate' : 'accepted';
  return verdict === 'transient' ? 'transient_failure' : 'permanent_failure';
}
