import { Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, HttpRequest, RequestJob } from '@onebip/messaging';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { Message } from './message.entity';

/** Builds the RequestJob that delivers a message to connectivity. */
@Injectable()
export class MessageDeliveryJobs {
  constructor(@Inject(BILLING_CONFIG) private readonly config: BillingConfig) {}

  /**
   * POST the message to connectivity until it answers 202 (accepted) or 409 (it already had it:
   * an earlier attempt got through even if its answer was lost), backing off exponentially.
   * The job is identified by the message URL, so the sweep can send it again harmlessly.
   * While receivers that only read `phonenumber` may exist, the phone number goes under both names.
   * Connectivity reports the SMS's fate to `<message url>/delivery-reports`.
   */
  jobFor(message: Pick<Message, 'url' | 'text' | 'phoneNumber'>): RequestJob {
    const { connectivityUrl, delivery, legacyFields } = this.config;
    const body = { text: message.text, phoneNumber: message.phoneNumber, message: message.url, callback: `${message.url}/delivery-reports` };
    const request = HttpRequest.to(`${connectivityUrl}/messages`, 'POST')
      .withJson(legacyFields ? { ...body, phonenumber: message.phoneNumber } : body)
      .ensureIs(202, 409)
      .timingOutAfter(delivery.requestTimeoutMs);
    const policy = ExponentialBackoff.atFirstWaiting(delivery.backoffFirstWaitSeconds).upTo(delivery.backoffUpToSeconds);
    return new RequestJob(request, policy).identifiedBy(message.url);
  }
}
