import { Queue } from 'bullmq';
import { RequestJob } from './request-job';
import { RETRY_POLICY_BACKOFF } from './retry/retry-policy-backoff';

/** How long finished jobs stay visible in Redis: a week for failed ones (the dead letters). */
export const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
export const KEEP_FAILED = { age: 7 * 24 * 3600 };

/**
 * Sends RequestJobs: records each one in the queue and returns. The caller learns nothing
 * about the remote call, on purpose: a worker delivers it later, retrying as its policy says,
 * and the caller must not act on a result it cannot have.
 */
export class Messaging {
  constructor(private readonly queue: Queue) {}

  /**
   * Resolves once the job is stored in Redis. A job whose identity is already queued, delayed,
   * running or kept as finished is not added again.
   */
  async send(job: RequestJob): Promise<void> {
    await this.queue.add(job.identity.slice(0, 200), job.toJSON(), jobOptions(job));
  }

  /** Sends many jobs in one round trip to Redis; the same rule on identities holds. */
  async sendAll(jobs: RequestJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((job) => ({ name: job.identity.slice(0, 200), data: job.toJSON(), opts: jobOptions(job) })));
  }
}

function jobOptions(job: RequestJob) {
  return {
    jobId: job.jobId,
    attempts: job.retryPolicy.retries + 1,
    backoff: { type: RETRY_POLICY_BACKOFF },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}
