import { Injectable } from '@nestjs/common';
import { messageEventView, MessagesService, messageView } from '../messages';
import type { MessageStatus } from '../messages';

/** The window over which the console's deliveries per second are counted. */
const RATE_WINDOW_SECONDS = 5;

/** What the demo console shows: counters, and the latest messages with their timelines. */
@Injectable()
export class DemoConsoleService {
  constructor(private readonly messages: MessagesService) {}

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
}
