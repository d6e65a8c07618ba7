import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Messaging } from '@onebip/messaging';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { MessageDeliveryJobs } from './message-delivery-jobs';
import { MessagesService } from './messages.service';

/**
 * The outbox's safety net. A message can be stored without its job ever reaching Redis
 * (billing crashed between the commit and the enqueue, Redis was down, or lost its data).
 * Every interval, pending messages older than a threshold are sent again with the same job
 * id: a message whose job still exists is left alone by the queue, so nothing is sent twice.
 */
@Injectable()
export class PendingMessageSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PendingMessageSweeper.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly messages: MessagesService,
    private readonly jobs: MessageDeliveryJobs,
    private readonly messaging: Messaging,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepPendingMessages().catch((error) => this.logger.warn(`sweep failed: ${error.message}`)), this.config.sweep.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping while the database and the queue are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** Enqueues every stale pending message again; returns how many it found. One sweep at a time. */
  sweepPendingMessages(): Promise<number> {
    this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(): Promise<number> {
    let found = 0;
    for await (const page of this.messages.pendingOlderThan(this.config.sweep.pendingAfterMs)) {
      await this.messaging.sendAll(page.map((message) => this.jobs.jobFor(message)));
      found += page.length;
    }
    if (found > 0) this.logger.log(`swept ${found} pending message(s) into the queue`);
    return found;
  }
}
