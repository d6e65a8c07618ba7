import { Inject, Injectable } from '@nestjs/common';
import { DeliveryAttempt, ExponentialBackoff, HttpRequest, RequestJob, RetryPolicy } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Message, SmsJobs } from '../messages';
import { SMS_GATEWAY } from './sms-gateway';
import type { SmsGateway } from './sms-gateway';

/**
 * The kinds of job connectivity sends. Each job carries its kind (`RequestJob.ofKind`), and the
 * worker reports it with every attempt (`DeliveryAttempt.kind`).
 */
type JobKind = 'sms' | 'report';

/**
 * The jobs connectivity sends: an SMS to the carrier, and a delivery report to the sender. It is
 * the SmsJobs messages asks for (SmsModule provides it under SMS_JOBS).
 */
@Injectable()
export class ConnectivityJobs implements SmsJobs {
  constructor(
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    @Inject(SMS_GATEWAY) private readonly gateway: SmsGateway,
  ) {}

  /** Submits the message to the carrier, retried with exponential backoff; one job per message URL. */
  smsJobFor(message: Pick<Message, 'messageUrl' | 'phoneNumber' | 'text'>): RequestJob {
    const { retryFirstWaitSeconds, retryUpToSeconds } = this.config.smsGateway;
    const request = this.gateway.submissionFor({ reference: message.messageUrl, phoneNumber: message.phoneNumber, text: message.text });
    return jobAbout(message.messageUrl, 'sms', request, ExponentialBackoff.atFirstWaiting(retryFirstWaitSeconds).upTo(retryUpToSeconds));
  }

  /**
   * POSTs the final status to the sender's callback until it answers 202, or 409 (it already had
   * this report), retried with exponential backoff. One report per message URL.
   */
  reportJobFor(message: Pick<Message, 'messageUrl' | 'status' | 'finalAt'> & { callback: string }): RequestJob {
    const { retryFirstWaitSeconds, retryUpToSeconds } = this.config.callbacks;
    const request = HttpRequest.to(message.callback, 'POST')
      .withJson({ message: message.messageUrl, status: message.status, at: (message.finalAt ?? new Date()).toISOString() })
      .ensureIs(202, 409);
    return jobAbout(message.messageUrl, 'report', request, ExponentialBackoff.atFirstWaiting(retryFirstWaitSeconds).upTo(retryUpToSeconds));
  }

  /** What an attempt is: an SMS or a report, and the URL of the message it is about; undefined for another job. */
  static aboutMessage(attempt: DeliveryAttempt): { kind: JobKind; messageUrl: string } | undefined {
    const kind = attempt.kind === 'sms' || attempt.kind === 'report' ? attempt.kind : kindOfJobQueuedWithoutOne(attempt.identity);
    if (kind === undefined || !attempt.identity.startsWith(identityOf(kind, ''))) return undefined;
    return { kind, messageUrl: attempt.identity.slice(identityOf(kind, '').length) };
  }
}

/**
 * The job of `kind` about the message at `messageUrl`. Its identity, the kind then the URL, is
 * what the job id in Redis is a digest of and what the dead letters show: it must not change.
 */
function jobAbout(messageUrl: string, kind: JobKind, request: HttpRequest, policy: RetryPolicy): RequestJob {
  return new RequestJob(request, policy).identifiedBy(identityOf(kind, messageUrl)).ofKind(kind);
}

function identityOf(kind: JobKind, messageUrl: string): string {
  return `${kind} ${messageUrl}`;
}

/**
 * The kind of a job queued before jobs carried one, which only its identity tells. Jobs outlive
 * deploys (docs/compatibility.md): a failed one is kept, and may be retried, for a week
 * (KEEP_FAILED in libs/messaging). Delete this a week after every connectivity sends kinds.
 */
function kindOfJobQueuedWithoutOne(identity: string): JobKind | undefined {
  return (['sms', 'report'] as const).find((kind) => identity.startsWith(identityOf(kind, '')));
}
