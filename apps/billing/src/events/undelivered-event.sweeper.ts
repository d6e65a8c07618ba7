import { Inject, Injectable } from '@nestjs/common';
import { OutboxSweeper, RequestJob } from '@onebip/messaging';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { EventDeliveryJobs } from './event-delivery-jobs';
import { EventQueues } from './event-queues';
import { EventsRepository, PendingDelivery } from './events.repository';

/**
 * The events' outbox sweep, as billing's messages': a delivery still pending after
 * SWEEP_PENDING_AFTER_MS has its job sent again under the same job id, into its subscriber's queue
 * (OutboxSweeper says why that sends nothing twice), on the sweep's SWEEP_INTERVAL_MS.
 */
@Injectable()
export class UndeliveredEventSweeper extends OutboxSweeper<PendingDelivery> {
  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly events: EventsRepository,
    private readonly jobs: EventDeliveryJobs,
    private readonly queues: EventQueues,
  ) {
    super((delivery) => queues.messagingFor(delivery.subscriber), {
      intervalMs: config.sweep.intervalMs,
      found: 'pending event delivery(ies) into their queues',
    });
  }

  /**
   * The pending deliveries, page by page; before each page is sent again, a job queued to a URL its
   * subscription no longer has is removed, so that the add puts it back with today's URL (the
   * worker would refuse the old one, and a retry would keep it).
   */
  protected async *stale(): AsyncIterable<PendingDelivery[]> {
    for await (const page of this.events.pendingOlderThan(this.config.sweep.pendingAfterMs)) {
      const bySubscriber = new Map<string, PendingDelivery[]>();
      for (const delivery of page) bySubscriber.set(delivery.subscriber, [...(bySubscriber.get(delivery.subscriber) ?? []), delivery]);
      for (const [subscriber, deliveries] of bySubscriber) {
        const removed = await this.queues.removeJobsToOtherUrls(
          subscriber,
          deliveries.map((delivery) => ({ jobId: this.jobFor(delivery).jobId, url: delivery.url })),
        );
        if (removed > 0) this.logger.log(`${removed} job(s) of ${subscriber} named its old URL: queued again to the new one`);
      }
      yield page;
    }
  }

  protected stillStale(ids: string[]): Promise<string[]> {
    return this.events.stillPending(ids);
  }

  protected jobFor(delivery: PendingDelivery): RequestJob {
    return this.jobs.jobFor(delivery.event, delivery.subscriber, delivery.url);
  }

  /** Sends every stale pending delivery again; returns how many it found. One sweep at a time. */
  sweepUndeliveredEvents(): Promise<number> {
    return this.sweep();
  }
}
