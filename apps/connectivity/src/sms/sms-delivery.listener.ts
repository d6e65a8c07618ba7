import { Injectable, Logger } from '@nestjs/common';
import { DeliveryAttempt, DeliveryListener, Messaging } from '@onebip/messaging';
import { loggableUrl, maskPhoneNumber, redactUrls } from '@onebip/platform';
import { MessagesService } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';

/**
 * Follows connectivity's jobs: when the carrier took an SMS, or its retries gave up, the message
 * reaches its final status and, if the sender asked, a delivery report goes to its callback.
 */
@Injectable()
export class SmsDeliveryListener implements DeliveryListener {
  private readonly logger = new Logger(SmsDeliveryListener.name);

  constructor(
    private readonly messages: MessagesService,
    private readonly jobs: ConnectivityJobs,
    private readonly messaging: Messaging,
  ) {}

  async onAttempt(attempt: DeliveryAttempt): Promise<void> {
    const messageUrl = ConnectivityJobs.messageUrlOfSms(attempt);
    if (messageUrl === undefined) {
      if (attempt.outcome === 'gave-up') this.logger.warn(`${redactUrls(attempt.identity)} gave up: ${redactUrls(attempt.detail)}`);
      return;
    }
    if (attempt.outcome === 'retrying') return;
    const message = await this.messages.settle(messageUrl, attempt.outcome === 'delivered' ? 'delivered' : 'undeliverable');
    // A report tells a final status; anything else here is a bug, and the job is tried again.
    if (message.status === 'accepted') throw new Error(`message ${loggableUrl(messageUrl)} is not final after settling`);
    this.logger.log({ msg: `SMS for ${loggableUrl(messageUrl)} to ${maskPhoneNumber(message.phoneNumber)}: ${message.status}`, status: message.status });
    // Sent even when the message was already final (a repeated attempt): the report's job id
    // makes a second send a no-op, and a lost one is sent now.
    if (message.callback) await this.messaging.send(this.jobs.reportJobFor({ ...message, callback: message.callback }));
  }
}
