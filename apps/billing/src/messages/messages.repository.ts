import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';
import { FINAL_STATUSES, Message, MessageStatus } from './message.entity';
import { MessageEvent } from './message-event.entity';
import { OutboxEntry } from './outbox-entry';
import { rowsStillMatching, staleRowsInPages } from '@onebip/platform';

/** What the pending-message sweep reads (on the alias `row`). */
const PENDING = `row.status = 'pending'`;

/**
 * What a delivery report's statement found: the URL of the message its id names, and that message
 * as the report left it, or null when the report changed nothing (the URL is another message's, or
 * the message already had a final status).
 */
export interface DeliveryReportWrite {
  url: string;
  reported: Message | null;
}

/** How many messages there are in each status, and how many of them were sent within a recent window. */
export interface MessageCounts {
  byStatus: Record<MessageStatus, number>;
  sentRecently: number;
}

/** A `messages` row as node-postgres returns it. */
interface MessageRow {
  id: string;
  url: string;
  payment_id: string;
  text: string;
  phone_number: string;
  status: MessageStatus;
  attempts: number;
  last_attempt: string | null;
  created_at: Date;
  sent_at: Date | null;
  reported_at: Date | null;
}

/** The row of the delivery report statement: the target's URL, beside the updated row or, when nothing was updated, nulls. */
type DeliveryReportRow = { target_url: string } & (MessageRow | { [column in keyof MessageRow]: null });

/**
 * The statements on the `messages` and `message_events` tables, all of them: other features reach
 * these tables through MessagesService, and store a new message through an OutboxEntry.
 */
@Injectable()
export class MessagesRepository {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(MessageEvent) private readonly events: Repository<MessageEvent>,
  ) {}

  /** The entry that stores `message` and the `created` step of its timeline within another feature's statement. */
  outboxEntry(message: Message): OutboxEntry {
    // Hand-written CTEs rather than TypeORM inserts: they ride in the payment's statement, which
    // keeps POST /payments at one round trip (a TypeORM transaction took five for the same rows).
    return {
      message,
      ctes(firstParameter) {
        const [id, url, paymentId, text, phoneNumber, createdAt] = Array.from({ length: 6 }, (_, index) => `$${firstParameter + index}`);
        return {
          sql: `outbox_message AS (
                  INSERT INTO messages (id, url, payment_id, text, phone_number, created_at) VALUES (${id}, ${url}, ${paymentId}, ${text}, ${phoneNumber}, ${createdAt})),
                outbox_event AS (
                  INSERT INTO message_events (message_id, kind, at) VALUES (${id}, 'created', ${createdAt}))`,
          parameters: [message.id, message.url, message.paymentId, message.text, message.phoneNumber, message.createdAt],
        };
      },
    };
  }

  /** The message `id` names; `id` must be a UUID. */
  findById(id: string): Promise<Message | null> {
    return this.messages.findOneBy({ id });
  }

  /** The message about the payment `paymentId`, if it has one. */
  findByPaymentId(paymentId: string): Promise<Message | null> {
    return this.messages.findOneBy({ paymentId });
  }

  /** The `limit` latest messages, newest first. */
  latest(limit: number): Promise<Message[]> {
    return this.messages.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** The timelines of these messages, each oldest step first; a message without steps has an empty one. */
  async timelines(messageIds: string[]): Promise<Map<string, MessageEvent[]>> {
    const timelines = new Map<string, MessageEvent[]>(messageIds.map((id) => [id, []]));
    if (messageIds.length === 0) return timelines;
    const events = await this.events.find({ where: { messageId: In(messageIds) }, order: { id: 'ASC' } });
    for (const event of events) timelines.get(event.messageId)?.push(event);
    return timelines;
  }

  /**
   * Records attempts of several messages, each with its step in its message's timeline, in one
   * statement: one round trip and one commit for a whole batch. Each message takes at most one of
   * the attempts. A message only moves forward: once `sent`, a late report of a failure cannot
   * make it `pending` or `failed` again, and a delivery report that came first stays.
   */
  async recordAttempts(attempts: DeliveryAttempt[]): Promise<void> {
    const column = <T>(pick: (attempt: DeliveryAttempt) => T) => attempts.map(pick);
    await this.messages.query(
      `WITH attempt AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[])
           AS attempt (url, detail, outcome, number, status, retry_in_ms)),
       updated AS (
         UPDATE messages SET
           attempts = messages.attempts + 1,
           last_attempt = attempt.detail,
           status = CASE
             WHEN attempt.outcome = 'delivered' AND messages.status IN ('pending', 'failed') THEN 'sent'
             WHEN attempt.outcome = 'gave-up' AND messages.status = 'pending' THEN 'failed'
             ELSE messages.status END,
           sent_at = CASE WHEN attempt.outcome = 'delivered' THEN COALESCE(messages.sent_at, now()) ELSE messages.sent_at END
         FROM attempt
         WHERE messages.url = attempt.url
         RETURNING messages.id, attempt.*)
       INSERT INTO message_events (message_id, kind, attempt, outcome, status, detail, retry_in_ms)
       SELECT id, 'attempt', number, outcome, status, detail, retry_in_ms FROM updated`,
      [
        column((attempt) => attempt.identity),
        column((attempt) => attempt.detail),
        column((attempt) => attempt.outcome),
        column((attempt) => attempt.attempt),
        column((attempt) => attempt.status ?? null),
        column((attempt) => attempt.retryInMs ?? null),
      ],
    );
  }

  /**
   * Records a delivery report about the message `id` (a UUID), if its URL is `messageUrl` and it has
   * no final status yet: the message takes `status` and the report joins its timeline. Null when no
   * message has that id.
   */
  async recordDeliveryReport(id: string, messageUrl: string, status: (typeof FINAL_STATUSES)[number]): Promise<DeliveryReportWrite | null> {
    // One statement finds the message, updates it and adds the step to its timeline: one round trip,
    // and atomic without BEGIN and COMMIT. The target's URL comes back even when nothing changed,
    // so the caller can tell a report about another message from a repeat.
    const rows = await this.messages.query<DeliveryReportRow[]>(
      `WITH target AS (SELECT id, url FROM messages WHERE id = $1),
       updated AS (
         UPDATE messages SET status = $3, reported_at = now(), sent_at = COALESCE(sent_at, now())
         WHERE id = (SELECT id FROM target WHERE url = $2) AND status NOT IN ('delivered', 'undeliverable')
         RETURNING *),
       recorded AS (INSERT INTO message_events (message_id, kind, outcome) SELECT id, 'report', $3 FROM updated)
       SELECT target.url AS target_url, updated.* FROM target LEFT JOIN updated ON true`,
      [id, messageUrl, status],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return { url: row.target_url, reported: row.id === null ? null : messageFromRow(row) };
  }

  /** Puts the failed message at `url` back to pending; false if it was not failed. */
  async markPending(url: string): Promise<boolean> {
    const result = await this.messages.update({ url, status: 'failed' }, { status: 'pending' });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Pending messages created more than `olderThanMs` ago, oldest first, in pages of `pageSize`
   * (keyset pagination, on the partial index of pending messages).
   */
  pendingOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return staleRowsInPages(this.messages, { where: PENDING, timeColumn: 'created_at', olderThanMs }, pageSize);
  }

  /** Of the messages with these ids, the ids of those pending now. */
  stillPending(ids: string[]): Promise<string[]> {
    return rowsStillMatching(this.messages, PENDING, ids);
  }

  /** Messages counted by status, and those sent in the last `sentWithinSeconds`, whatever their status now. */
  async countByStatus(sentWithinSeconds: number): Promise<MessageCounts> {
    // Both counts in one scan of the table; a query builder would only wrap this same SQL in strings.
    const rows = await this.messages.query<{ status: MessageStatus; count: number; recent: number }[]>(
      `SELECT status, count(*)::int AS count, count(*) FILTER (WHERE sent_at > now() - make_interval(secs => $1))::int AS recent
       FROM messages GROUP BY status`,
      [sentWithinSeconds],
    );
    const counts: MessageCounts = { byStatus: { pending: 0, sent: 0, failed: 0, delivered: 0, undeliverable: 0 }, sentRecently: 0 };
    for (const row of rows) {
      counts.byStatus[row.status] = row.count;
      counts.sentRecently += row.recent;
    }
    return counts;
  }
}

/** A `messages` row as the entity. */
function messageFromRow(row: MessageRow): Message {
  return Object.assign(new Message(), {
    id: row.id,
    url: row.url,
    paymentId: row.payment_id,
    text: row.text,
    phoneNumber: row.phone_number,
    status: row.status,
    attempts: row.attempts,
    lastAttempt: row.last_attempt,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    reportedAt: row.reported_at,
  } satisfies Message);
}
