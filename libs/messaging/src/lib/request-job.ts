import { createHash } from 'node:crypto';
import { HttpRequest, HttpRequestSpec } from './http-request';
import { DontRetry } from './retry/dont-retry';
import { RetryPolicy, RetryPolicySpec } from './retry/retry-policy';
import { retryPolicyFromSpec } from './retry/retry-policy-from-spec';

/** What is stored in Redis for one RequestJob. */
export interface RequestJobData {
  identity: string;
  request: HttpRequestSpec;
  retryPolicy: RetryPolicySpec;
  /** What the app calls this kind of job (`sms`, `report`), given back in each DeliveryAttempt. */
  kind?: string;
  /** The correlation id of the request that queued the job, sent on with each attempt. */
  correlationId?: string;
}

/**
 * An HTTP request to deliver, with the policy that says how to retry it.
 *
 * A job has an identity: two jobs with the same identity are one delivery, so sending
 * the same message again while its job exists makes no second job. By default the identity
 * is the request itself (method, URL and body); give the message's own identity, such as
 * its URL, with `identifiedBy()`.
 */
export class RequestJob {
  readonly identity: string;

  constructor(
    readonly request: HttpRequest,
    readonly retryPolicy: RetryPolicy = new DontRetry(),
    identity?: string,
    /** What the app calls this kind of job, given back in each DeliveryAttempt; see `ofKind()`. */
    readonly kind?: string,
  ) {
    this.identity = identity ?? `${request.method} ${request.url} ${request.body ?? ''}`;
  }

  /** Rebuilds a job from what was stored in Redis. */
  static fromJSON(data: RequestJobData): RequestJob {
    return new RequestJob(HttpRequest.fromJSON(data.request), retryPolicyFromSpec(data.retryPolicy), data.identity, data.kind);
  }

  /** The same job, identified by `identity` (for example the URL of the message it carries). */
  identifiedBy(identity: string): RequestJob {
    return new RequestJob(this.request, this.retryPolicy, identity, this.kind);
  }

  /**
   * The same job, of the kind `kind`: an app that sends several kinds of job on one queue (an SMS,
   * a delivery report) reads it back from each DeliveryAttempt instead of parsing the identity.
   */
  ofKind(kind: string): RequestJob {
    return new RequestJob(this.request, this.retryPolicy, this.identity, kind);
  }

  /**
   * The queue's job id: a digest of the identity, because identities are URLs and BullMQ
   * job ids may not contain every character a URL does.
   */
  get jobId(): string {
    return `rj-${createHash('sha256').update(this.identity).digest('base64url')}`;
  }

  toJSON(): RequestJobData {
    const data: RequestJobData = { identity: this.identity, request: this.request.toJSON(), retryPolicy: this.retryPolicy.toJSON() };
    if (this.kind !== undefined) data.kind = this.kind;
    return data;
  }
}
