import { Controller, Get, Header } from '@nestjs/common';
import { SignedByPeers } from '@onebip/messaging';
import { UuidParam } from '@onebip/platform';
import { CLOUDEVENTS_JSON } from './cloud-event';
import { eventDeliveryView } from './event-delivery.view';
import { EventsService } from './events.service';

/**
 * Each event is a resource at `<source>/events/<id>`, for peers only (signed): what was delivered,
 * as it was delivered, and where it went.
 */
@Controller('events')
@SignedByPeers()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** The event, a CloudEvent in structured mode, as its deliveries carried it. */
  @Get(':id')
  @Header('content-type', CLOUDEVENTS_JSON)
  async show(@UuidParam('id', 'event') id: string) {
    return this.events.cloudEvent(await this.events.findById(id));
  }

  /** Its deliveries, one per subscriber that wanted it. */
  @Get(':id/deliveries')
  async deliveries(@UuidParam('id', 'event') id: string) {
    const event = await this.events.findById(id);
    const deliveries = await this.events.deliveriesOf(event.id);
    return {
      event: event.id,
      deliveries: deliveries.map(eventDeliveryView),
    };
  }
}
