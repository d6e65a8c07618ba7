import { Inject, Injectable } from '@nestjs/common';
import { ExponentialBackoff, HttpRequest, RequestJob } from '@onebip/messaging';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { CLOUDEVENTS_JSON, cloudEventOf } from './cloud-event';
import type { PublishedEvent } from './published-event.entity';

/** Every status that means a subscriber has the event: any 2xx, and 409 (it had it already). */
const DELIVERED_STATUSES = [...Array.from({ length: 100 }, (_, index) => 200 + index), 409];

/** The job kind of an event delivery, in each DeliveryAttempt. */
export const EVENT_DELIVERY = 'event';

/** Builds the RequestJob that delivers an event to one subscriber, and reads its identity back. */
@Injectable()
export class EventDeliveryJobs {
  constructor(@Inject(BILLING_CONFIG) private readonly config: BillingConfig) {}

  /** The URL of the event `id`: `<source>/events/<id>`, where a signed GET reads it. */
  eventUrl(id: string): string {
    return `${this.config.publicUrl}/events/${id}`;
  }

  /**
   * POST the event, a CloudEvent in structured mode, to the subscriber's URL, until it answers
   * 2xx or 409, backing off as billing's messages do. The job is identified by the delivery's URL,
   * `<event URL>/deliveries/<subscriber>`, one per event and subscriber: the sweep and a replayed
   * backfill send it again harmlessly.
   */
  jobFor(event: PublishedEvent, subscriber: string, url: string): RequestJob {
    const { delivery, publicUrl } = this.config;
    const request = HttpRequest.to(url, 'POST')
      .withJson(cloudEventOf(event, publicUrl))
      .withHeader('content-type', CLOUDEVENTS_JSON)
      .ensureIs(...DELIVERED_STATUSES)
      .timingOutAfter(delivery.requestTimeoutMs);
    const policy = ExponentialBackoff.atFirstWaiting(delivery.backoffFirstWaitSeconds).upTo(delivery.backoffUpToSeconds);
    return new RequestJob(request, policy).identifiedBy(`${this.eventUrl(event.id)}/deliveries/${subscriber}`).ofKind(EVENT_DELIVERY);
  }

  /** The event and subscriber a delivery job's identity names; undefined for another identity. */
  deliveryOf(identity: string): { eventId: string; subscriber: string } | undefined {
    const prefix = `${this.config.publicUrl}/events/`;
    if (!identity.startsWith(prefix)) return undefined;
    const match = /^([0-9a-f-]{36})\/deliveries\/([a-z0-9-]+)$/.exec(identity.slice(prefix.length));
    return match ? { eventId: match[1], subscriber: match[2] } : undefined;
  }
}
