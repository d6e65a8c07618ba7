import { Job, Queue } from 'bullmq';
import { RequestJobData } from './request-job';

/** A RequestJob that failed for good: its policy gave up, or the receiver refused it permanently. */
export interface DeadLetter {
  /** The queue's job id, which `retry()` takes. */
  id: string;
  /** The job's identity (billing: the message URL). */
  identity: string;
  method: string;
  url: string;
  /** What the last attempt came to, such as `HTTP 422` or `ECONNREFUSED: …`. */
  lastError: string;
  attempts: number;
  failedAt: string | null;
}

/**
 * The failed RequestJobs of a queue, kept for a week (see `Messaging`), for operators to list and
 * send again. Sending again is safe because receivers are idempotent: a job that did get through
 * before failing is answered 409, which counts as delivered.
 */
export class DeadLetters {
  constructor(private readonly queue: Queue) {}

  async list(limit = 1000): Promise<DeadLetter[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.filter((job): job is Job<RequestJobData> => Boolean(job)).map(toDeadLetter);
  }

  /** The dead letter with this id, or undefined when no failed job has it. */
  async find(id: string): Promise<DeadLetter | undefined> {
    const job = await this.failedJob(id);
    return job && toDeadLetter(job);
  }

  /**
   * Moves one failed job back to waiting, its retry policy starting afresh; returns false when
   * there is no such failed job (already retried, say).
   */
  async retry(id: string): Promise<boolean> {
    const job = await this.failedJob(id);
    return job !== undefined && (await retryFailedJob(this.queue, job));
  }

  private async failedJob(id: string): Promise<Job<RequestJobData> | undefined> {
    const job = await this.queue.getJob(id);
    return job && (await job.isFailed()) ? (job as Job<RequestJobData>) : undefined;
  }
}

/**
 * Moves a failed job back to waiting, attempts reset; false when it is no longer failed (another
 * operator or sweep retried it first, or it expired), which BullMQ tells only by throwing.
 */
export async function retryFailedJob(queue: Queue, job: Job): Promise<boolean> {
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch (error) {
    if ((await queue.getJobState(job.id as string)) !== 'failed') return false;
    throw error;
  }
}

function toDeadLetter(job: Job<RequestJobData>): DeadLetter {
  return {
    id: job.id as string,
    identity: job.data.identity,
    method: job.data.request.method,
    url: job.data.request.url,
    lastError: job.failedReason,
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
