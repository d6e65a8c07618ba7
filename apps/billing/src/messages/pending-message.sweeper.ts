import { Inject, Injectable } from '@nestjs/common';
import { Messaging, OutboxSweeper, RequestJob } from '@onebip/messaging';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { Message } from './message.entity';
import { MessageDeliveryJobs } from './message-delivery-jobs';
import { MessagesService } from './messages.service';

/**
 * Billing's outbox sweep: a message still `pending` after SWEEP_PENDING_AFTER_MS has its delivery
 * job sent again under the same job id (OutboxSweeper says why that sends nothing twice).
 */
@Injectable()
export class PendingMessageSweeper extends OutboxSweeper<Message> {
  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly messages: MessagesService,
    private readonly jobs: MessageDeliveryJobs,
    messaging: Messaging,
  ) {
    super(messaging, { intervalMs: config.sweep.intervalMs, found: 'pending message(s) into the queue' });
  }

  protected stale(): AsyncIterable<Message[]> {
    return this.messages.pendingOlderThan(this.config.sweep.pendingAfterMs);
  }

  protected stillStale(ids: string[]): Promise<string[]> {
    return this.messages.stillPending(ids);
  }

  protected jobFor(message: Message): RequestJob {
    return this.jobs.jobFor(message);
  }

  /** Sends every stale pending message again; returns how many it found. One sweep at a time. */
  sweepPendingMessages(): Promise<number> {
    return this.sweep();
  }
}
