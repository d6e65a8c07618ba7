import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Message, MessageStatus } from '../messages/message.entity';
import { messageEventView } from '../messages/message-event.entity';
import { messageView } from '../messages/message.view';
import { MessagesService } from '../messages/messages.service';

/** The window over which the console's deliveries per second are counted. */
const RATE_WINDOW_SECONDS = 5;

/** What the demo console shows: counters, and the latest messages with their timelines. */
@Injectable()
export class DemoConsoleService {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    private readonly messagesService: MessagesService,
  ) {}

  async counters(): Promise<{ byStatus: Record<MessageStatus, number>; deliveriesPerSecond: number }> {
    const rows: { status: MessageStatus; count: number; recent: number }[] = await this.messages.query(
      `SELECT status, count(*)::int AS count, count(*) FILTER (WHERE sent_at > now() - make_interval(secs => $1))::int AS recent
       FROM messages GROUP BY status`,
      [RATE_WINDOW_SECONDS],
    );
    const byStatus: Record<MessageStatus, number> = { pending: 0, sent: 0, failed: 0, delivered: 0, undeliverable: 0 };
    let recent = 0;
    for (const row of rows) {
      byStatus[row.status] = row.count;
      recent += row.recent;
    }
    return { byStatus, deliveriesPerSecond: Math.round((recent / RATE_WINDOW_SECONDS) * 10) / 10 };
  }

  /** The `limit` latest messages, newest first, each with its timeline. */
  async latestMessages(limit: number) {
    const latest = await this.messages.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    const timelines = await this.messagesService.timelines(latest.map((message) => message.id));
    return latest.map((message) => ({
      ...messageView(message, { wholePhoneNumber: false }),
      timeline: (timelines.get(message.id) ?? []).map(messageEventView),
    }));
  }
}
