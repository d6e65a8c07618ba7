import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Messaging } from '@onebip/messaging';
import { PeriodicTask } from '@onebip/platform';
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
  private readonly periodic: PeriodicTask<number>;

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly messages: MessagesService,
    private readonly jobs: MessageDeliveryJobs,
    private readonly messaging: Messaging,
  ) {
    this.periodic = new PeriodicTask(
      () => this.sweep(),
      this.config.sweep.intervalMs,
      (error) => this.logger.warn(`sweep failed: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  /** Stops sweeping while the database and the queue are still open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Enqueues every stale pending message again; returns how many it found. One sweep at a time. */
  sweepPendingMessages(): Promise<number> {
    return this.periodic.runNow();
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
