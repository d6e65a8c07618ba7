import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DeliveryAttempt, DeliveryListener } from '@onebip/messaging';
import { redactUrls } from '@onebip/platform';
import { EventDeliveryJobs } from './event-delivery-jobs';
import { EventsService } from './events.service';

/** Keeps each event delivery's status in step with its job, and counts attempts per subscriber. */
@Injectable()
export class EventDeliveryListener implements DeliveryListener {
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

  async onAttempt(attempt: DeliveryAttempt): Promise<void> {
    const delivery = this.jobs.deliveryOf(attempt.identity);
    if (!delivery) {
      // A job in an event queue that billing did not make: nothing to record it on.
      this.logger.warn({ msg: 'an attempt of a job that is no event delivery', job: redactUrls(attempt.identity) });
      return;
    }
    await this.events.recordAttempt(delivery.eventId, delivery.subscriber, attempt.outcome, attempt.detail);
    this.attempts?.inc({ subscriber: delivery.subscriber, outcome: attempt.outcome });
  }
}
