import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';

/**
 * When BullMQ stored a job (the sender's clock) and when the job finished (the worker's clock),
 * in milliseconds since the epoch; both on this machine.
 */
export interface JobTiming {
  addedAt: number;
  finishedAt: number;
}

/** The timings of the jobs `ids` among the completed ones the queue still keeps. */
export async function readJobTimings(queue: Queue, ids: readonly string[]): Promise<JobTiming[]> {
  const wanted = new Set(ids);
  const completed = await queue.getJobs(['completed'], 0, -1);
  return completed.flatMap((job) =>
    job.id !== undefined && wanted.has(job.id) && job.finishedOn !== undefined ? [{ addedAt: job.timestamp, finishedAt: job.finishedOn }] : [],
  );
}

/**
 * Waits until `expected` jobs are completed or failed, counting from an empty completed and failed
 * set (see `forgetFinishedJobs`); fails after `timeoutMs` saying how far it got.
 */
export async function waitUntilFinished(queue: Queue, expected: number, timeoutMs: number): Promise<{ completed: number; failed: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { completed = 0, failed = 0 } = await queue.getJobCounts('completed', 'failed');
    if (completed + failed >= expected) return { completed, failed };
    if (Date.now() > deadline) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
      throw new Error(`${queue.name}: ${completed + failed} of ${expected} jobs finished after ${timeoutMs} ms (${JSON.stringify(counts)})`);
    }
    await sleep(50);
  }
}

/** Removes the finished jobs of `queue`, so the next batch is counted from zero. */
export async function forgetFinishedJobs(queue: Queue): Promise<void> {
  for (const state of ['completed', 'failed'] as const) {
    while ((await queue.clean(0, 10_000, state)).length > 0);
  }
}
