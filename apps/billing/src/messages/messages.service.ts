import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';
import { AppError, keysetPages } from '@onebip/platform';
import { FINAL_STATUSES, Message } from './message.entity';
import { MessageEvent } from './message-event.entity';
import { DeliveryAttemptLog } from './delivery-attempt-log';

/** What became of a delivery report: recorded, a repeat, or about another message than its URL says. */
export type DeliveryReportOutcome = { kind: 'recorded'; message: Message } | { kind: 'duplicate' } | { kind: 'mismatch'; url: string };

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageEvent) private readonly events: Repository<MessageEvent>,
    private readonly attemptLog: DeliveryAttemptLog,
  ) {}

  /** The message `id` names (a UUID, as the controller's UuidParam makes sure), or a 404 AppError. */
  async findById(id: string): Promise<Message> {
    const message = await this.messages.findOneBy({ id });
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /** Records one delivery attempt of the message it names, with its step in the message's timeline. */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return this.attemptLog.record(attempt);
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
   * Records connectivity's delivery report about the message `id` (a UUID), which must be `messageUrl`: the
   * message takes its final status, whatever it was before (a report may overtake the 202 it
   * follows), and the report joins its timeline. One statement. A message that already had a
   * final status is left as it was: the report was a repeat.
   */
  async recordDeliveryReport(id: string, messageUrl: string, status: (typeof FINAL_STATUSES)[number]): Promise<DeliveryReportOutcome> {
    const rows: Record<string, unknown>[] = await this.messages.query(
      `WITH target AS (SELECT id, url FROM messages WHERE id = $1),
       updated AS (
         UPDATE messages SET status = $3, reported_at = now(), sent_at = COALESCE(sent_at, now())
         WHERE id = (SELECT id FROM target WHERE url = $2) AND status NOT IN ('delivered', 'undeliverable')
         RETURNING *),
       recorded AS (INSERT INTO message_events (message_id, kind, outcome) SELECT id, 'report', $3 FROM updated)
       SELECT target.url AS target_url, updated.* FROM target LEFT JOIN updated ON true`,
      [id, messageUrl, status],
    );
    if (rows.length === 0) throw AppError.notFound(`message ${id}`);
    const [row] = rows;
    if (row.target_url !== messageUrl) return { kind: 'mismatch', url: row.target_url as string };
    if (row.id === null) return { kind: 'duplicate' };
    return { kind: 'recorded', message: this.messages.create(messageFromRow(row)) };
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
  pendingOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return keysetPages<Message>(pageSize, (after, limit) => {
      const query = this.messages
        .createQueryBuilder('message')
        .where(`message.status = 'pending'`)
        .andWhere(`message.created_at < now() - make_interval(secs => :seconds)`, { seconds: olderThanMs / 1000 })
        .orderBy('message.created_at')
        .addOrderBy('message.id')
        .limit(limit);
      if (after) query.andWhere('(message.created_at, message.id) > (:createdAt, :id)', { createdAt: after.createdAt, id: after.id });
      return query.getMany();
    });
  }
}

/** A `messages` row as PostgreSQL returns it, as the entity's fields. */
function messageFromRow(row: Record<string, unknown>): Partial<Message> {
  return {
    id: row.id as string,
    url: row.url as string,
    paymentId: row.payment_id as string,
    text: row.text as string,
    phoneNumber: row.phone_number as string,
    status: row.status as Message['status'],
    attempts: row.attempts as number,
    lastAttempt: row.last_attempt as string | null,
    createdAt: row.created_at as Date,
    sentAt: row.sent_at as Date | null,
    reportedAt: row.reported_at as Date | null,
  };
}
