import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { CloudEventBody, cloudEventOf } from './cloud-event';
import { EventDelivery } from './event-delivery.entity';
import { EventDeliveryJobs } from './event-delivery-jobs';
import { EventQueues } from './event-queues';
import { PAYMENT_CREATED } from './event-types';
import { DeliveryToMake, EventEntry, EventWithDeliveries, EventsRepository } from './events.repository';
import { PublishedEvent } from './published-event.entity';

/**
 * Billing's events: made in the statement of what they tell of (the outbox), then delivered to
 * each subscription that wants them, one job per event and subscriber, each in its subscriber's
 * own queue. Events carry no order: a subscriber that needs the current state reads the resource.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly events: EventsRepository,
    private readonly jobs: EventDeliveryJobs,
    private readonly queues: EventQueues,
  ) {}

  /**
   * The event that a payment was made, for the statement that stores it; `payment` is the payment
   * as an unsigned GET shows it (the phone number masked): a subscriber that needs more reads it
   * with a signed request.
   */
  paymentCreated(paymentId: string, payment: Record<string, unknown>, time: Date): EventEntry {
    const event = Object.assign(new PublishedEvent(), {
      id: randomUUID(),
      type: PAYMENT_CREATED,
      subject: `${this.config.publicUrl}/payments/${paymentId}`,
      time,
      data: payment,
    } satisfies PublishedEvent);
    return this.events.entry(event);
  }

  /**
   * Queues the deliveries a statement made, once it committed. Never throws: a delivery Redis does
   * not take stays pending in the outbox, and the sweep sends it.
   */
  async dispatch(event: PublishedEvent, deliveries: DeliveryToMake[]): Promise<void> {
    await Promise.all(
      deliveries.map(async ({ subscriber, url }) => {
        try {
          await this.queues.messagingFor(subscriber).send(this.jobs.jobFor(event, subscriber, url));
        } catch (error) {
          this.logger.warn(`event ${event.id} to ${subscriber} stays pending until the sweep: ${(error as Error).message}`);
        }
      }),
    );
  }

  /**
   * Queues every pending delivery to `subscriber` (after a backfill or a change of URL), in pages.
   * Runs in the background of the request that asked; the sweep finishes what a crash cut short.
   */
  dispatchPendingTo(subscriber: string): void {
    const sending = (async () => {
      let sent = 0;
      for await (const page of this.events.pendingOlderThan(0, { subscriber })) {
        await this.queues.messagingFor(subscriber).sendAll(page.map((delivery) => this.jobs.jobFor(delivery.event, subscriber, delivery.url)));
        sent += page.length;
      }
      if (sent > 0) this.logger.log(`queued ${sent} pending event(s) for ${subscriber}`);
    })();
    sending.catch((error: Error) => this.logger.warn(`pending events for ${subscriber} wait for the sweep: ${error.message}`));
  }

  /** The event `id` names (a UUID, as the controller's UuidParam makes sure), or a 404 AppError. */
  async findById(id: string): Promise<PublishedEvent> {
    const event = await this.events.findById(id);
    if (!event) throw AppError.notFound(`event ${id}`);
    return event;
  }

  /** The event as billing publishes it: a CloudEvent from billing's public URL. */
  cloudEvent(event: PublishedEvent): CloudEventBody {
    return cloudEventOf(event, this.config.publicUrl);
  }

  /** Where the event went: one delivery per subscriber that wanted it. */
  deliveriesOf(eventId: string): Promise<EventDelivery[]> {
    return this.events.deliveriesOf(eventId);
  }

  /** The `limit` latest events, newest first, each with where it went (the demo console's view). */
  latest(limit: number): Promise<EventWithDeliveries[]> {
    return this.events.latest(limit);
  }

  /** Makes the backfill of `subscriber` since `since`; returns how many deliveries it made. */
  backfill(subscriber: string, since: Date, types: string[] | null): Promise<number> {
    return this.events.backfill(subscriber, since, types);
  }

  /** Records one attempt of a delivery job (the worker's DeliveryListener). */
  recordAttempt(eventId: string, subscriber: string, outcome: 'delivered' | 'retrying' | 'gave-up', detail: string): Promise<void> {
    return this.events.recordAttempt(eventId, subscriber, outcome, detail);
  }

  /** Puts a failed delivery back to pending, before a redrive. */
  markPending(eventId: string, subscriber: string): Promise<boolean> {
    return this.events.markPending(eventId, subscriber);
  }
}
