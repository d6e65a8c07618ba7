import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';
import { AppError, isUuid } from '@onebip/platform';
import { FINAL_STATUSES, Message } from './message.entity';
import { MessageEvent } from './message-event.entity';

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageEvent) private readonly events: Repository<MessageEvent>,
  ) {}

  async findById(id: string): Promise<Message> {
    const message = isUuid(id) ? await this.messages.findOneBy({ id }) : null;
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /**
   * Records one delivery attempt of the message it names, and adds it to the message's timeline,
   * in one statement. A message only moves forward: once `sent`, a late report of a failure cannot
   * make it `pending` or `failed` again, and a delivery report that came first stays.
   */
  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.messages.query(
      `WITH updated AS (
         UPDATE messages SET
           attempts = attempts + 1,
           last_attempt = $2,
           status = CASE
             WHEN $3 = 'delivered' AND status IN ('pending', 'failed') THEN 'sent'
             WHEN $3 = 'gave-up' AND status = 'pending' THEN 'failed'
             ELSE status END,
           sent_at = CASE WHEN $3 = 'delivered' THEN COALESCE(sent_at, now()) ELSE sent_at END
         WHERE url = $1
         RETURNING id)
       INSERT INTO message_events (message_id, kind, attempt, outcome, status, detail, retry_in_ms)
       SELECT id, 'attempt', $4, $3, $5, $2, $6 FROM updated`,
      [attempt.identity, attempt.detail, attempt.outcome, attempt.attempt, attempt.status ?? null, attempt.retryInMs ?? null],
    );
  }

  /** The timelines of these messages, each oldest step first. */
  async timelines(messageIds: string[]): Promise<Map<string, MessageEvent[]>> {
    const timelines = new Map<string, MessageEvent[]>(messageIds.map((id) => [id, []]));
    if (messageIds.length === 0) return timelines;
    const events = await this.events.find({ where: { messageId: In(messageIds) }, order: { id: 'ASC' } });
    for (const event of events) timelines.get(event.messageId)?.push(event);
    return timelines;
  }

  /**
   * Records connectivity's delivery report: the message takes its final status, whatever it was
   * before (a report may overtake the 202 it follows). Returns false when the message already had
   * a final status: the report was a repeat, and changes nothing.
   */
  async recordDeliveryReport(id: string, status: (typeof FINAL_STATUSES)[number]): Promise<boolean> {
    const [{ count }] = await this.messages.query(
      `WITH updated AS (
         UPDATE messages SET status = $2, reported_at = now(), sent_at = COALESCE(sent_at, now())
         WHERE id = $1 AND status NOT IN ('delivered', 'undeliverable')
         RETURNING id),
       recorded AS (INSERT INTO message_events (message_id, kind, outcome) SELECT id, 'report', $2 FROM updated)
       SELECT count(*)::int AS count FROM updated`,
      [id, status],
    );
    return count > 0;
  }

  /** Puts a failed message back to pending, as its job is about to be sent again; false if it was not failed. */
  async markPending(url: string): Promise<boolean> {
    const result = await this.messages.update({ url, status: 'failed' }, { status: 'pending' });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Pending messages created before `olderThanMs` ago, oldest first, in pages of `pageSize`
   * (keyset pagination: each page starts after the last one seen).
   */
  async *pendingOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const query = this.messages
        .createQueryBuilder('message')
        .where(`message.status = 'pending'`)
        .andWhere(`message.created_at < now() - make_interval(secs => :seconds)`, { seconds: olderThanMs / 1000 })
        .orderBy('message.created_at')
        .addOrderBy('message.id')
        .limit(pageSize);
      if (after) query.andWhere('(message.created_at, message.id) > (:createdAt, :id)', after);
      const page = await query.getMany();
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}

