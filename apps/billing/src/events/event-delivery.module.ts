import { Module } from '@nestjs/common';
import { EventDeliveryWorkers } from './event-delivery.workers';
import { EventRetention } from './event-retention';
import { EventsModule } from './events.module';
import { UndeliveredEventSweeper } from './undelivered-event.sweeper';

/** What a worker process does with events: deliver them (a worker per subscription), sweep the outbox, expire old ones. */
@Module({
  imports: [EventsModule],
  providers: [EventDeliveryWorkers, UndeliveredEventSweeper, EventRetention],
  exports: [EventDeliveryWorkers, UndeliveredEventSweeper, EventRetention],
})
export class EventDeliveryModule {}
