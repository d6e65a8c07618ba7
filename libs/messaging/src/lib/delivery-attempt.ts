/**
 * What became of one attempt at delivering a RequestJob, as the worker reports it to the app
 * that sent the job. Reported before the queue records the outcome, so an app that stores it
 * never shows a job done that the queue would still retry.
 */
export interface DeliveryAttempt {
  /** The job's identity, as given to `RequestJob.identifiedBy()` (billing: the message URL). */
  identity: string;
  /** The job's kind, as given to `RequestJob.ofKind()`; undefined for a job given none. */
  kind?: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** `delivered`: done. `retrying`: failed, another attempt will follow. `gave-up`: failed for good. */
  outcome: 'delivered' | 'retrying' | 'gave-up';
  /** The receiver's status, when it answered. */
  status?: number;
  /** What happened, such as `HTTP 202`, `HTTP 503` or `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3002`. */
  detail: string;
  /** When `retrying`: how long until the next attempt, in milliseconds. */
  retryInMs?: number;
  /** The correlation id the job carries from the request that queued it. */
  correlationId?: string;
}

/** Receives every DeliveryAttempt. A listener that throws makes the attempt count as failed. */
export interface DeliveryListener {
  onAttempt(attempt: DeliveryAttempt): Promise<void>;
}
