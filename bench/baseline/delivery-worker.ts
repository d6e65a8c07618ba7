import { Job, Worker } from 'bullmq';
import { BareDelivery } from './bare-delivery';
import { PostOutcome, SignedPoster, describePost } from './signed-post';

/** What one attempt at a delivery came to, as the sender records it. */
export interface AttemptOutcome {
  /** 1 for the first attempt. */
  attempt: number;
  /** Answered with one of the delivery's expected statuses. */
  delivered: boolean;
  status?: number;
  /** `HTTP 202`, or why there was no answer. */
  detail: string;
}

/** The outcome of attempt number `attempt` at `delivery`, which came to `posted`. */
export function attemptOutcome(delivery: BareDelivery, attempt: number, posted: PostOutcome): AttemptOutcome {
  const status = 'status' in posted ? posted.status : undefined;
  return { attempt, delivered: status !== undefined && delivery.expected.includes(status), status, detail: describePost(posted) };
}

export interface DeliveryWorkerOptions {
  queueName: string;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  poster: SignedPoster;
  /** Told of every attempt before BullMQ records it, as RequestWorker tells its listener. */
  onAttempt?: (delivery: BareDelivery, outcome: AttemptOutcome) => Promise<void>;
}

/**
 * A bare BullMQ Worker delivering BareDelivery jobs: signs and POSTs each, completes it on one of
 * its expected statuses, otherwise fails the attempt for BullMQ to retry with the job's backoff.
 * Locks are sized like RequestWorker's, so both make the same lock renewals.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<BareDelivery> {
  const lockDuration = 2 * 10_000 + 5_000;
  const worker = new Worker<BareDelivery>(
    options.queueName,
    async (job: Job<BareDelivery>) => {
      const delivery = job.data;
      const outcome = attemptOutcome(delivery, job.attemptsMade + 1, await options.poster.post(delivery.url, delivery.body));
      await options.onAttempt?.(delivery, outcome);
      if (!outcome.delivered) throw new Error(outcome.detail);
      return { status: outcome.status };
    },
    {
      connection: { url: options.redisUrl },
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 1000,
    },
  );
  // Unheard, an 'error' (Redis gone for a moment) would end the process.
  worker.on('error', (error) => console.warn(`worker ${options.queueName}: ${error.message}`));
  return worker;
}
