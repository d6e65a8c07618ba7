import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError, Worker, WorkerOptions } from 'bullmq';
import { correlationHeaders, finishedWithin, loggableUrl, newCorrelationId, redactUrls, runWithCorrelationId } from '@onebip/platform';
import { classifyAttempt, describeAttempt } from './classify-attempt';
import { DeliveryAttempt, DeliveryListener } from './delivery-attempt';
import type { DeliveryMetrics } from './delivery-metrics';
import { RequestSigner } from './auth/request-signer';
import { DeliveryDestinations } from './delivery-destinations';
import { performRequest } from './perform-request';
import { RequestJob, RequestJobData } from './request-job';
import { TransientDeliveryError, retryPolicyBackoff, waitBeforeRetryMs } from './retry/retry-policy-backoff';
import { allowsAnotherAttempt } from './retry/retry-policy';

export interface RequestWorkerOptions {
  /** Where this worker may send: peers (signed), external services (unsigned); nowhere else. */
  destinations: DeliveryDestinations;
  /** Jobs delivered at once by this process. */
  concurrency?: number;
  /** Told of every attempt before the queue records its outcome. */
  listener?: DeliveryListener;
  /**
   * Signs each attempt to a peer with X-Authentication and a fresh timestamp: a RequestSigner, or
   * anything that signs as one does (one whose secrets change, a subscription's after a rotation).
   */
  signer?: Pick<RequestSigner, 'sign'>;
  /** Longest request timeout this worker's jobs use; the job lock is sized from it. */
  longestRequestTimeoutMs?: number;
  /** Start taking jobs at once (default true). */
  autorun?: boolean;
  /** How long `close()` lets attempts in flight finish before abandoning them (default 15 s). */
  shutdownDeadlineMs?: number;
  /** Counts attempts, retries and delivery latency. */
  metrics?: DeliveryMetrics;
}

/**
 * Consumes a queue of RequestJobs: performs each request, and lets BullMQ retry the ones that
 * fail transiently according to the job's own retry policy.
 *
 * A plain BullMQ Worker rather than @nestjs/bullmq's `@Processor`/`WorkerHost`: every app needs the
 * same processor (send, classify, report the attempt before BullMQ records it), so the library owns
 * it and an app gives only a DeliveryListener, and the worker starts once the app has bootstrapped
 * (MessagingModule), not while Nest still builds the listener it reports to.
 */
export class RequestWorker {
  readonly worker: Worker<RequestJobData>;
  private readonly logger = new Logger('RequestWorker');

  constructor(
    queueName: string,
    connection: WorkerOptions['connection'],
    prefix: string,
    private readonly options: RequestWorkerOptions,
  ) {
    const longestTimeoutMs = options.longestRequestTimeoutMs ?? 10_000;
    const lockDuration = 2 * longestTimeoutMs + 5_000;
    this.worker = new Worker<RequestJobData>(queueName, (job) => this.deliver(job), {
      connection,
      prefix,
      concurrency: options.concurrency ?? 10,
      autorun: options.autorun ?? true,
      // The lock must outlast the slowest attempt (its request, then recording the outcome), or
      // another worker would take the job for stalled and run it a second time while the first
      // attempt still waits for an answer. It is renewed every half lockDuration while the
      // attempt runs; only a dead or frozen worker lets it expire, and then the job runs again
      // after at most lockDuration + stalledInterval: the receiver's 409 absorbs the repeat.
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 1000,
      settings: { backoffStrategy: retryPolicyBackoff },
    });
  }

  /**
   * Stops taking jobs, lets the attempts in flight finish up to the shutdown deadline, then
   * closes the connections. An attempt cut off by the deadline keeps its lock until it expires,
   * and then runs again elsewhere. Idempotent.
   */
  async close(): Promise<void> {
    const deadline = this.options.shutdownDeadlineMs ?? 15_000;
    if (!(await finishedWithin(this.worker.close(), deadline))) await this.worker.close(true);
  }

  /**
   * One attempt, under the correlation id of the request that queued the job: its log lines
   * carry the id, and so does the request, in `traceparent` and `X-Request-Id`.
   */
  private deliver(job: Job<RequestJobData>): Promise<{ status: number }> {
    const correlationId = job.data.correlationId ?? newCorrelationId();
    return runWithCorrelationId(correlationId, () => this.attempt(job, correlationId));
  }

  private async attempt(job: Job<RequestJobData>, correlationId: string): Promise<{ status: number }> {
    const requestJob = RequestJob.fromJSON(job.data);
    let request = requestJob.request;
    const destination = this.options.destinations.classify(request.url);
    if (destination === undefined) {
      // Not an attempt: nothing is sent, nothing is reported, and the job goes to the dead letters.
      const refusal = `${request.method} ${loggableUrl(request.url)} refused: not a destination this worker sends to (${this.options.destinations})`;
      this.logger.error({ msg: refusal, job: redactUrls(requestJob.identity) });
      throw new UnrecoverableError(refusal);
    }
    for (const [name, value] of Object.entries(correlationHeaders(correlationId))) request = request.withHeader(name, value);
    if (destination === 'peer' && this.options.signer) request = this.options.signer.sign(request);
    const result = await performRequest(request);
    const verdict = classifyAttempt(request, result);
    const attempt = job.attemptsMade + 1;
    const detail = describeAttempt(result);
    const status = result.kind === 'answered' ? result.status : undefined;
    const retryAfterSeconds = result.kind === 'answered' ? result.retryAfterSeconds : undefined;
    const retrying = verdict === 'transient' && allowsAnotherAttempt(requestJob.retryPolicy, attempt);
    const outcome = verdict === 'done' ? 'delivered' : retrying ? 'retrying' : 'gave-up';
    const retryInMs = retrying ? waitBeforeRetryMs(requestJob.retryPolicy, attempt, retryAfterSeconds) : undefined;
    const description = `${request.method} ${loggableUrl(request.url)} attempt ${attempt}: ${detail}`;
    try {
      await this.report({ identity: requestJob.identity, kind: requestJob.kind, attempt, outcome, status, detail, retryInMs, correlationId });
    } catch (error) {
      // The app could not record the attempt: the job fails and runs again (the receiver's 409
      // absorbs the repeat). Counted as what it is for the job: a transient failure.
      const retryingAfterAll = allowsAnotherAttempt(requestJob.retryPolicy, attempt);
      this.options.metrics?.recordAttempt('transient', status, retryingAfterAll, job.timestamp);
      this.logger.warn({ msg: `${description}, but recording it failed: ${(error as Error).message}`, job: redactUrls(requestJob.identity), attempt, status });
      throw error;
    }
    this.options.metrics?.recordAttempt(verdict, status, retrying, job.timestamp);
    this.logger.log({ msg: `${description} (${outcome})`, job: redactUrls(requestJob.identity), attempt, outcome, status, retryInMs });
    if (verdict === 'done') return { status: status ?? 0 };
    if (verdict === 'permanent') throw new UnrecoverableError(`permanent failure: ${detail}`);
    throw new TransientDeliveryError(detail, retryAfterSeconds);
  }

  private async report(attempt: DeliveryAttempt): Promise<void> {
    await this.options.listener?.onAttempt(attempt);
  }
}
