import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { rowsStillMatching, staleRowsInPages } from '@onebip/platform';
import { Message, MessageStatus } from './message.entity';

/** What the SMS sweep reads (on the alias `row`). */
const ACCEPTED = `row.status = 'accepted'`;
/** What the report sweep reads: final messages with a callback whose report is neither acknowledged nor given up. */
const REPORT_OWED = `row.status <> 'accepted' AND row.callback IS NOT NULL AND row.report_acknowledged_at IS NULL AND row.report_given_up_at IS NULL`;

/** A message to store: what the sender gave, its URL also in canonical form. The database gives the rest. */
export type NewMessage = Pick<Message, 'messageUrl' | 'messageUrlCanonical' | 'text' | 'phoneNumber' | 'callback'>;

/** What storing a message came to: stored by this call (`storedNow`), or found stored before, unchanged. */
export interface Storing {
  storedNow: boolean;
  message: Message;
}

/** A row of `messages`, as the driver returns it for a hand-written statement. */
interface MessageRow {
  id: string;
  message_url: string;
  message_url_canonical: string;
  text: string;
  phone_number: string;
  status: MessageStatus;
  received_at: Date;
  callback: string | null;
  final_at: Date | null;
  report_acknowledged_at: Date | null;
  report_given_up_at: Date | null;
}

/** What became of a message's delivery report: the sender took it (202 or 409), or it was given up. */
export type ReportOutcome = 'acknowledged' | 'given-up';

/**
 * The `messages` table: every statement connectivity runs on it. Each method returns Message
 * objects; no caller sees a row or writes SQL.
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectRepository(Message) private readonly messages: Repository<Message>) {}

  /**
   * Stores `message` unless one with the same canonical URL is stored already; then returns that
   * one, unchanged. The unique index decides, not a read before the write, so simultaneous calls
   * for one URL store it once. The URL is compared by its canonical form and kept as received.
   */
  async storeOnce(message: NewMessage): Promise<Storing> {
    // Hand-written: this is the hot path of POST /messages, and a new message costs one statement,
    // one round trip (docs/performance.md, the bench). Only a replay needs a second, to read the
    // message it replays.
    const [row] = await this.rows(
      `INSERT INTO messages (message_url, message_url_canonical, text, phone_number, callback) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_url_canonical) DO NOTHING RETURNING *`,
      [message.messageUrl, message.messageUrlCanonical, message.text, message.phoneNumber, message.callback],
    );
    if (row) return { storedNow: true, message: toMessage(row) };
    return { storedNow: false, message: await this.messages.findOneByOrFail({ messageUrlCanonical: message.messageUrlCanonical }) };
  }

  /**
   * Gives the message at `messageUrl` (as received) its final `status` and time, unless it has
   * them already: a final status never changes. Returns the message as it then stands, or null
   * when there is no message at that URL.
   */
  async settle(messageUrl: string, status: Exclude<MessageStatus, 'accepted'>): Promise<Message | null> {
    // Usually one round trip: the update returns the row. When the message was already final, a
    // second statement reads it, and sees whatever a concurrent settle committed (a single
    // statement's snapshot could still show the message open).
    const [updated] = await this.rows(
      `WITH updated AS (UPDATE messages SET status = $2, final_at = now() WHERE message_url = $1 AND status = 'accepted' RETURNING *)
       SELECT * FROM updated`,
      [messageUrl, status],
    );
    const [row] = updated ? [updated] : await this.rows('SELECT * FROM messages WHERE message_url = $1', [messageUrl]);
    return row ? toMessage(row) : null;
  }

  /**
   * Messages still `accepted` that came more than `olderThanMs` ago, oldest first, in pages of
   * `pageSize` (keyset pagination: each page starts after the last one seen, on the partial index
   * of accepted messages).
   */
  acceptedOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return staleRowsInPages(this.messages, { where: ACCEPTED, timeColumn: 'received_at', olderThanMs }, pageSize);
  }

  /** Of the messages with these ids, the ids of those accepted now. */
  stillAccepted(ids: string[]): Promise<string[]> {
    return rowsStillMatching(this.messages, ACCEPTED, ids);
  }

  /**
   * Records what became of the report about the message at `messageUrl`, once: an acknowledgement
   * is kept whatever comes after, and a give-up only while nothing was recorded (an operator's
   * retry of the dead letter may still be acknowledged). One statement.
   */
  async recordReport(messageUrl: string, outcome: ReportOutcome): Promise<void> {
    await this.messages.query(
      outcome === 'acknowledged'
        ? `UPDATE messages SET report_acknowledged_at = now() WHERE message_url = $1 AND report_acknowledged_at IS NULL`
        : `UPDATE messages SET report_given_up_at = now() WHERE message_url = $1 AND report_acknowledged_at IS NULL AND report_given_up_at IS NULL`,
      [messageUrl],
    );
  }

  /**
   * Final messages with a callback whose report is still owed (neither acknowledged nor given up),
   * settled more than `olderThanMs` ago, oldest first, in pages of `pageSize` (on the partial index
   * of owed reports).
   */
  reportOwedOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return staleRowsInPages(this.messages, { where: REPORT_OWED, timeColumn: 'final_at', olderThanMs }, pageSize);
  }

  /** Of the messages with these ids, the ids of those whose report is owed now. */
  reportStillOwed(ids: string[]): Promise<string[]> {
    return rowsStillMatching(this.messages, REPORT_OWED, ids);
  }

  /** The message with this id, or null. `id` must be a UUID: the column's type refuses anything else. */
  findById(id: string): Promise<Message | null> {
    return this.messages.findOneBy({ id });
  }

  /** The message whose URL has this canonical form, or null. */
  findByCanonicalUrl(canonical: string): Promise<Message | null> {
    return this.messages.findOneBy({ messageUrlCanonical: canonical });
  }

  /** Runs a hand-written statement that returns whole rows of `messages` (`RETURNING *`, `SELECT *`). */
  private rows(sql: string, parameters: unknown[]): Promise<MessageRow[]> {
    return this.messages.query(sql, parameters);
  }
}

/** The one mapping from a hand-written statement's row to a Message. */
function toMessage(row: MessageRow): Message {
  return Object.assign(new Message(), {
    id: row.id,
    messageUrl: row.message_url,
    messageUrlCanonical: row.message_url_canonical,
    text: row.text,
    phoneNumber: row.phone_number,
    status: row.status,
    receivedAt: row.received_at,
    callback: row.callback,
    finalAt: row.final_at,
    reportAcknowledgedAt: row.report_acknowledged_at,
    reportGivenUpAt: row.report_given_up_at,
  } satisfies Message);
}
