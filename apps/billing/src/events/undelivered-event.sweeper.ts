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
    queues: EventQueues,
  ) {
    super((delivery) => queues.messagingFor(delivery.subscriber), {
      intervalMs: config.sweep.intervalMs,
      found: 'pending event delivery(ies) into their queues',
    });
  }

  protected stale(): AsyncIterable<PendingDelivery[]> {
    return this.events.pendingOlderThan(this.config.sweep.pendingAfterMs);
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
