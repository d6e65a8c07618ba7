import { Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, HttpRequest, RequestJob } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Message, SmsJobs } from '../messages';
import { SMS_GATEWAY } from './sms-gateway';
import type { SmsGateway } from './sms-gateway';

const SMS = 'sms ';
const REPORT = 'report ';

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

  /** Submits the message to the carrier, retried with exponential backoff; identified by the message URL. */
  smsJobFor(message: Pick<Message, 'messageUrl' | 'phoneNumber' | 'text'>): RequestJob {
    const { retryFirstWaitSeconds, retryUpToSeconds } = this.config.smsGateway;
    const request = this.gateway.submissionFor({ reference: message.messageUrl, phoneNumber: message.phoneNumber, text: message.text });
    return new RequestJob(request, ExponentialBackoff.atFirstWaiting(retryFirstWaitSeconds).upTo(retryUpToSeconds)).identifiedBy(`${SMS}${message.messageUrl}`);
  }

  /**
   * POSTs the final status to the sender's callback until it answers 202, or 409 (it already had
   * this report), retried with exponential backoff. One report per message: its URL identifies it.
   */
  reportJobFor(message: Pick<Message, 'messageUrl' | 'status' | 'finalAt'> & { callback: string }): RequestJob {
    const { retryFirstWaitSeconds, retryUpToSeconds } = this.config.callbacks;
    const request = HttpRequest.to(message.callback, 'POST')
      .withJson({ message: message.messageUrl, status: message.status, at: (message.finalAt ?? new Date()).toISOString() })
      .ensureIs(202, 409);
    return new RequestJob(request, ExponentialBackoff.atFirstWaiting(retryFirstWaitSeconds).upTo(retryUpToSeconds)).identifiedBy(
      `${REPORT}${message.messageUrl}`,
    );
  }

  /** The message URL an SMS job's identity names, or undefined for another kind of job. */
  static messageUrlOfSmsJob(identity: string): string | undefined {
    return identity.startsWith(SMS) ? identity.slice(SMS.length) : undefined;
  }
}
