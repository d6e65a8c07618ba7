import { Inject, Injectable } from '@nestjs/common';
import { Messaging, OutboxSweeper, RequestJob } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Message, MessagesService } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';

/**
 * The delivery reports' outbox sweep. A final message with a callback owes its sender a report
 * until the sender acknowledges it (202 or 409) or its retries give up, and both are recorded on
 * the message. A report still owed CALLBACK_SWEEP_UNACKNOWLEDGED_AFTER_MS after the final status
 * has its job sent again under the same job id: a live job is left alone, one Redis lost is sent
 * now (the sender answers a repeat 409), and one that failed for good unrecorded is retried.
 */
@Injectable()
export class UnacknowledgedReportSweeper extends OutboxSweeper<Message> {
  constructor(
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    private readonly messages: MessagesService,
    private readonly jobs: ConnectivityJobs,
    messaging: Messaging,
  ) {
    super(messaging, { intervalMs: config.callbacks.sweepIntervalMs, found: 'unacknowledged delivery report(s) into the queue' });
  }

  protected stale(): AsyncIterable<Message[]> {
    return this.messages.reportOwedOlderThan(this.config.callbacks.sweepUnacknowledgedAfterMs);
  }

  protected stillStale(ids: string[]): Promise<string[]> {
    return this.messages.reportStillOwed(ids);
  }

  protected jobFor(message: Message): RequestJob {
    // The query keeps to messages with a callback.
    return this.jobs.reportJobFor({ ...message, callback: message.callback as string });
  }

  /** Sends the report job of every stale owed report again; returns how many it found. One sweep at a time. */
  sweepUnacknowledgedReports(): Promise<number> {
    return this.sweep();
  }
}
