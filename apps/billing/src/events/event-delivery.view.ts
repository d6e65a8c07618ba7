import type { EventDelivery } from './event-delivery.entity';

/** An event's delivery to one subscriber, as the API and the console show it. */
export function eventDeliveryView(delivery: EventDelivery) {
  return {
    subscriber: delivery.subscriber,
    status: delivery.status,
    attempts: delivery.attempts,
    lastAttempt: delivery.lastAttempt,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}
