import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventDelivery } from './event-delivery.entity';
import { EventDeliveryJobs } from './event-delivery-jobs';
import { EventDeliveryListener } from './event-delivery.listener';
import { EventQueues } from './event-queues';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { PublishedEvent } from './published-event.entity';
import { Subscription } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';

/** Billing's events: published in the outbox, the subscriptions, and a queue per subscription. */
@Module({
  imports: [TypeOrmModule.forFeature([PublishedEvent, Subscription, EventDelivery])],
  controllers: [EventsController, SubscriptionsController],
  providers: [EventsService, EventsRepository, SubscriptionsService, SubscriptionsRepository, EventQueues, EventDeliveryJobs, EventDeliveryListener],
  exports: [EventsService, SubscriptionsService, EventQueues, EventDeliveryJobs, EventDeliveryListener, EventsRepository],
})
export class EventsModule {}
