import { Injectable, Logger } from '@nestjs/common';
import { DeliveryAttempt, DeliveryListener, Messaging } from '@onebip/messaging';
import { loggableUrl, maskPhoneNumber, redactUrls } from '@onebip/platform';
import { MessagesService } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';

/**
 * Follows connectivity's jobs. When the carrier took an SMS, or its retries gave up, the message
 * reaches its final status and, if the sender asked, a delivery report goes to its callback. When
 * the sender acknowledged a report (202 or 409), or its retries gave up, the message records it:
 * until then the report is owed, and the report sweep sends it again if its job is lost.
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
    const about = ConnectivityJobs.aboutMessage(attempt);
    if (about === undefined) {
      if (attempt.outcome === 'gave-up') this.logger.warn(`${redactUrls(attempt.identity)} gave up: ${redactUrls(attempt.detail)}`);
      return;
    }
    if (attempt.outcome === 'retrying') return;
    if (about.kind === 'sms') await this.settle(about.messageUrl, attempt);
    // A record that fails throws: the attempt fails and runs again, and the sender answers 409.
    else await this.messages.recordReport(about.messageUrl, attempt.outcome === 'delivered' ? 'acknowledged' : 'given-up');
  }

  private async settle(messageUrl: string, attempt: DeliveryAttempt): Promise<void> {
    const message = await this.messages.settle(messageUrl, attempt.outcome === 'delivered' ? 'delivered' : 'undeliverable');
    // A report tells a final status; anything else here is a bug, and the job is tried again.
    if (message.status === 'accepted') throw new Error(`message ${loggableUrl(messageUrl)} is not final after settling`);
    this.logger.log({ msg: `SMS for ${loggableUrl(messageUrl)} to ${maskPhoneNumber(message.phoneNumber)}: ${message.status}`, status: message.status });
    if (!message.callback) return;
    // Sent even when the message was already final (a repeated attempt): the report's job id
    // makes a second send a no-op, and a lost one is sent now. When Redis does not take it, the
    // SMS attempt still succeeds (failing it would call the carrier again for nothing): the report
    // is owed in the database, and the report sweep sends it.
    try {
      await this.messaging.send(this.jobs.reportJobFor({ ...message, callback: message.callback }));
    } catch (error) {
      this.logger.warn(`the report about ${loggableUrl(messageUrl)} is left to the report sweep: ${(error as Error).message}`);
    }
  }
}
