import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DeliveryAttempt, DeliveryListener } from '@onebip/messaging';
import { redactUrls } from '@onebip/platform';
import { EventDeliveryJobs } from './event-delivery-jobs';
import { EventsService } from './events.service';

/** Keeps each event delivery's status in step with its job, and counts attempts per subscriber. */
@Injectable()
export class EventDeliveryListener {
  private readonly logger = new Logger(EventDeliveryListener.name);
  private readonly attempts?: Counter<'subscriber' | 'outcome'>;

  constructor(
    private readonly events: EventsService,
    private readonly jobs: EventDeliveryJobs,
    @Optional() @Inject(Registry) registry?: Registry,
  ) {
    this.attempts =
      registry &&
      new Counter({
        name: 'billing_event_delivery_attempts_total',
        help: 'Attempts at delivering an event, by subscriber and outcome: delivered, retrying, gave-up',
        labelNames: ['subscriber', 'outcome'],
        registers: [registry],
      });
  }

  /** The listener of `subscriber`'s worker: an attempt is recorded only on that subscriber's delivery. */
  of(subscriber: string): DeliveryListener {
    return { onAttempt: (attempt) => this.record(subscriber, attempt) };
  }

  private async record(subscriber: string, attempt: DeliveryAttempt): Promise<void> {
    const delivery = this.jobs.deliveryOf(attempt.identity);
    // A job in this queue that billing did not make, or one naming another subscriber's delivery
    // (written into Redis by someone else): nothing to record it on, and no metric label it may add.
    if (!delivery || delivery.subscriber !== subscriber) return this.ignore(attempt);
    await this.events.recordAttempt(delivery.eventId, delivery.subscriber, attempt.outcome, attempt.detail);
    this.attempts?.inc({ subscriber: delivery.subscriber, outcome: attempt.outcome });
  }

  private async ignore(attempt: DeliveryAttempt): Promise<void> {
    this.logger.warn({ msg: 'an attempt of a job that is no event delivery of its queue', job: redactUrls(attempt.identity) });
  }
}
