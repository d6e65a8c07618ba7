import { Injectable } from '@nestjs/common';
import { EventsService, eventDeliveryView } from '../events';
import { messageEventView, MessagesService, messageView } from '../messages';
import type { MessageStatus } from '../messages';

/** The window over which the console's deliveries per second are counted. */
const RATE_WINDOW_SECONDS = 5;

/** What the demo console shows: counters, the latest messages with their timelines, the latest events with their deliveries. */
@Injectable()
export class DemoConsoleService {
  constructor(
    private readonly messages: MessagesService,
    private readonly events: EventsService,
  ) {}

  async counters(): Promise<{ byStatus: Record<MessageStatus, number>; deliveriesPerSecond: number }> {
    const { byStatus, sentRecently } = await this.messages.counters(RATE_WINDOW_SECONDS);
    return { byStatus, deliveriesPerSecond: Math.round((sentRecently / RATE_WINDOW_SECONDS) * 10) / 10 };
  }

  /** The `limit` latest messages, newest first, each with its timeline. */
  async latestMessages(limit: number) {
    const latest = await this.messages.latest(limit);
    const timelines = await this.messages.timelines(latest.map((message) => message.id));
    return latest.map((message) => ({
      ...messageView(message, { wholePhoneNumber: false }),
      timeline: (timelines.get(message.id) ?? []).map(messageEventView),
    }));
  }

  /** The `limit` latest events, newest first, each with its deliveries per subscriber; not their data (the payment it tells of). */
  async latestEvents(limit: number) {
    return (await this.events.latest(limit)).map(({ event, deliveries }) => ({
      id: event.id,
      type: event.type,
      subject: event.subject,
      time: event.time.toISOString(),
      deliveries: deliveries.map(eventDeliveryView),
    }));
  }
}
