import { Queue } from 'bullmq';
import { currentCorrelationId, withDeadline } from '@onebip/platform';
import { retryFailedJob } from './dead-letters';
import { RequestJob, RequestJobData } from './request-job';
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
  /** Jobs sent during this turn of the event loop, stored together at its end. */
  private pending: { name: string; data: RequestJobData; opts: ReturnType<typeof jobOptions>; settle: (error?: Error) => void }[] = [];

  /**
   * @param sendTimeoutMs how long `send()` waits for Redis before it fails: while Redis is away,
   *   BullMQ would otherwise wait for it to come back, holding up whoever is sending.
   */
  constructor(
    private readonly queue: Queue,
    private readonly sendTimeoutMs = 2000,
  ) {}

  /**
   * Resolves once the job is stored in Redis; rejects if Redis does not take it in time (the job
   * may still be stored later: sending it again then adds nothing). A job whose identity is
   * already queued, delayed, running or kept as finished is not added again.
   *
   * Jobs sent in the same turn of the event loop (by requests handled together, under load) go
   * to Redis in one round trip; each caller still waits for its own.
   */
  send(job: RequestJob): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // The job's data is taken now, under the sender's correlation id.
      this.pending.push({ name: jobName(job), data: jobData(job), opts: jobOptions(job), settle: (error) => (error ? reject(error) : resolve()) });
      if (this.pending.length === 1) setImmediate(() => this.storePending());
    });
  }

  /** Sends many jobs in one round trip to Redis; the same rules hold. */
  async sendAll(jobs: RequestJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.withinSendTimeout(this.queue.addBulk(jobs.map((job) => ({ name: jobName(job), data: jobData(job), opts: jobOptions(job) }))));
  }

  /**
   * For a sweep, whose rows each still waited for their job's outcome when it read them: sends each
   * job as `sendAll` does, then retries, attempts reset, each one found failed for good under its id
   * whose row `stillWaiting` says waits still. A row that waits for an outcome while its job failed
   * means the failure never reached the database (the last attempt's record aborted, or a redrive
   * stopped between its two steps), so the job is sent again rather than left to hold its id for a
   * week. The row is read again only after its job is seen failed: every worker records an
   * attempt's outcome before BullMQ fails the job, so a row that waits still then was never told,
   * whereas the sweep's first read may predate an outcome recorded since (retrying on it would send
   * a message its sender already gave up, or an SMS already settled). Resolves to how many it retried.
   *
   * @param stillWaiting the jobs, among those given, whose rows still wait for an outcome, read now
   */
  async sendAgain(jobs: RequestJob[], stillWaiting: (failed: RequestJob[]) => Promise<RequestJob[]>): Promise<number> {
    await this.sendAll(jobs);
    const states = await this.withinSendTimeout(Promise.all(jobs.map((job) => this.queue.getJobState(job.jobId))));
    const failed = jobs.filter((_, index) => states[index] === 'failed');
    if (failed.length === 0) return 0;
    const unrecorded = await stillWaiting(failed);
    const retried = await this.withinSendTimeout(Promise.all(unrecorded.map((job) => this.retryIfFailed(job.jobId))));
    return retried.filter(Boolean).length;
  }

  private async retryIfFailed(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    return job !== undefined && (await retryFailedJob(this.queue, job));
  }

  private storePending(): void {
    const batch = this.pending;
    this.pending = [];
    const [only] = batch;
    const adding: Promise<unknown> = batch.length === 1 ? this.queue.add(only.name, only.data, only.opts) : this.queue.addBulk(batch);
    this.withinSendTimeout(adding).then(
      () => batch.forEach(({ settle }) => settle()),
      (error: Error) => batch.forEach(({ settle }) => settle(error)),
    );
  }

  private withinSendTimeout<T>(adding: Promise<T>): Promise<T> {
    return withDeadline(adding, this.sendTimeoutMs, `Redis did not take the job within ${this.sendTimeoutMs} ms`);
  }
}

/** The job's name in the queue, as dashboards show it: its identity, shortened. */
function jobName(job: RequestJob): string {
  return job.identity.slice(0, 200);
}

/** What is stored: the job, and the correlation id of the request or job that sends it. */
function jobData(job: RequestJob): RequestJobData {
  const correlationId = currentCorrelationId();
  return correlationId ? { ...job.toJSON(), correlationId } : job.toJSON();
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
