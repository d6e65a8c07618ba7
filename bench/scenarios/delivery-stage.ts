import { DeliveryPipeline, PreparedJobs } from '../harness/delivery-pipelines';
import { forgetFinishedJobs, readJobTimings, waitUntilFinished } from '../harness/job-timings';
import { onSchedule } from '../harness/schedule';
import { BenchSettings } from '../harness/settings';
import { LatencySummary, perSecond, summarize } from '../harness/stats';
import { ProcessUsage, UsageWindow, waitUntilQuiet } from './process-usage';

/** What the delivery stage of one pipeline came to. */
export interface DeliveryMeasurement {
  pipeline: string;
  /** Jobs queued while the queue was paused, then drained at once. */
  jobs: number;
  failed: number;
  /** Messages acknowledged per second, from the queue's resumption to the last acknowledgement. */
  messagesPerSecond: number;
  /** From the queue's resumption to each acknowledgement: time spent waiting in the backlog, mostly. */
  backlogLatency: LatencySummary;
  /** From enqueue to acknowledgement, jobs queued one by one at a steady rate below capacity. */
  paced: { ratePerSecond: number; jobs: number; failed: number; latency: LatencySummary };
  /** Messages the receiver holds at the end, warm-up included: each should be stored once. */
  stored: number;
  /** Jobs queued in all, warm-up included. */
  queued: number;
  /** Peak memory, and CPU per message over the drain and the work it left trailing. */
  usage: ProcessUsage[];
}

const BATCH = 500;

/**
 * The delivery stage of one pipeline, in three steps: a warm-up batch; `n` jobs queued while the
 * queue is paused, then drained at once (throughput); jobs queued one by one at a steady rate
 * (latency from enqueue to acknowledgement). A job is acknowledged when it completes in Redis,
 * which for billing is after connectivity's 202 and the message's status update.
 */
export async function measureDelivery(pipeline: DeliveryPipeline, settings: BenchSettings): Promise<DeliveryMeasurement> {
  const { queue } = pipeline;
  const timeoutFor = (jobs: number) => 60_000 + jobs * 20;

  if (settings.warmup > 0) {
    const warmup = await prepareBatch(pipeline, settings.warmup);
    await enqueueAll(warmup, settings.warmup);
    await waitUntilFinished(queue, settings.warmup, timeoutFor(settings.warmup));
    await waitUntilQuiet(pipeline.processes);
  }

  const backlog = await prepareBatch(pipeline, settings.n);
  await queue.pause();
  await enqueueAll(backlog, settings.n);
  const usage = UsageWindow.open(pipeline.processes);
  const resumedAt = Date.now();
  await queue.resume();
  const drained = await waitUntilFinished(queue, settings.n, timeoutFor(settings.n));
  const drain = await readJobTimings(queue, backlog.ids);
  const drainUsage = await usage.close(settings.n);
  const lastAcknowledgement = Math.max(...drain.map((timing) => timing.finishedAt));

  const { ratePerSecond, seconds } = settings.pacedDelivery;
  const pacedCount = ratePerSecond * seconds;
  const steady = await prepareBatch(pipeline, pacedCount);
  const enqueued: Promise<void>[] = [];
  await onSchedule(ratePerSecond, pacedCount, (index) => enqueued.push(steady.enqueue(index, index + 1)));
  await Promise.all(enqueued);
  const pacedOutcome = await waitUntilFinished(queue, pacedCount, timeoutFor(pacedCount));
  const paced = await readJobTimings(queue, steady.ids);

  return {
    pipeline: pipeline.label,
    jobs: settings.n,
    failed: drained.failed,
    messagesPerSecond: perSecond(drain.length, lastAcknowledgement - resumedAt),
    backlogLatency: summarize(drain.map((timing) => timing.finishedAt - resumedAt)),
    paced: { ratePerSecond, jobs: pacedCount, failed: pacedOutcome.failed, latency: summarize(paced.map((timing) => timing.finishedAt - timing.addedAt)) },
    stored: await pipeline.stored(),
    queued: settings.warmup + settings.n + pacedCount,
    usage: drainUsage,
  };
}

/** Prepares `count` jobs, the queue's earlier finished jobs forgotten so that these are counted from zero. */
async function prepareBatch(pipeline: DeliveryPipeline, count: number): Promise<PreparedJobs> {
  await forgetFinishedJobs(pipeline.queue);
  return pipeline.prepare(count);
}

async function enqueueAll(jobs: PreparedJobs, count: number): Promise<void> {
  for (let start = 0; start < count; start += BATCH) await jobs.enqueue(start, Math.min(count, start + BATCH));
}
