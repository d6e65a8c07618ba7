// The events feature's API for the rest of billing: what payments publish through, and what
// dead letters read and redrive.
export { EventsModule } from './events.module';
export { EventDeliveryModule } from './event-delivery.module';
export { EventsService } from './events.service';
export { SubscriptionsService } from './subscriptions.service';
export { EventQueues } from './event-queues';
export { EventDeliveryJobs } from './event-delivery-jobs';
export type { EventEntry, DeliveryToMake, EventWithDeliveries } from './events.repository';
export { PublishedEvent } from './published-event.entity';
export { Subscription } from './subscription.entity';
export { EventDelivery } from './event-delivery.entity';
export { PAYMENT_CREATED, EVENT_TYPES } from './event-types';
export { eventDeliveryView } from './event-delivery.view';
