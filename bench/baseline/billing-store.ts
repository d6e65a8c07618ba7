import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AttemptOutcome } from './delivery-worker';
import { PaymentOrder } from './validation';

/** A row of billing's `messages` table, as GET /messages/:id shows it. */
export interface MessageRow {
  id: string;
  url: string;
  payment_id: string;
  text: string;
  phone_number: string;
  status: string;
  attempts: number;
  last_attempt: string | null;
  created_at: Date;
  sent_at: Date | null;
  reported_at: Date | null;
}

/** A payment and its message, as POST /payments stored them. */
export interface StoredPayment {
  id: string;
  amount: number;
  currency: string;
  phoneNumber: string;
  createdAt: Date;
  message: { id: string; url: string; text: string };
}

/** Billing's SQL, written by hand: the statements the app makes through TypeORM, one for one. */
export class BillingStore {
  constructor(
    private readonly pool: Pool,
    private readonly publicUrl: string,
  ) {}

  /** The payment and its receipt message, in one transaction: the outbox. */
  async pay(order: PaymentOrder): Promise<StoredPayment> {
    const createdAt = new Date();
    const messageId = randomUUID();
    const payment = { id: randomUUID(), ...order, createdAt, message: { id: messageId, url: `${this.publicUrl}/messages/${messageId}`, text: receiptText(order.amount, order.currency) } };
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, $2, $3, $4, $5)', [payment.id, order.amount, order.currency, order.phoneNumber, createdAt]);
      await client.query('INSERT INTO messages (id, url, payment_id, text, phone_number, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        messageId,
        payment.message.url,
        payment.id,
        payment.message.text,
        order.phoneNumber,
        createdAt,
      ]);
      await client.query(`INSERT INTO message_events (message_id, kind, at) VALUES ($1, 'created', $2)`, [messageId, createdAt]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return payment;
  }

  /**
   * One delivery attempt of the message at `url`, and its step in the message's timeline, in one
   * statement; once acknowledged the message is `sent`, and a final status stays.
   */
  async recordAttempt(url: string, { attempt, delivered, status, detail }: AttemptOutcome): Promise<void> {
    await this.pool.query(
      `WITH updated AS (
         UPDATE messages SET
           attempts = attempts + 1,
           last_attempt = $2,
           status = CASE WHEN $3 = 'delivered' AND status IN ('pending', 'failed') THEN 'sent' ELSE status END,
           sent_at = CASE WHEN $3 = 'delivered' THEN COALESCE(sent_at, now()) ELSE sent_at END
         WHERE url = $1
         RETURNING id)
       INSERT INTO message_events (message_id, kind, attempt, outcome, status, detail)
       SELECT id, 'attempt', $4, $3, $5, $2 FROM updated`,
      [url, detail, delivered ? 'delivered' : 'retrying', attempt, status ?? null],
    );
  }

  async message(id: string): Promise<MessageRow | undefined> {
    return (await this.pool.query<MessageRow>('SELECT * FROM messages WHERE id = $1 LIMIT 1', [id])).rows[0];
  }

  /** The delivery report's final status, and its step in the timeline; false when the message already had one (a repeated report). */
  async recordReport(id: string, status: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH updated AS (
         UPDATE messages SET status = $2, reported_at = now(), sent_at = COALESCE(sent_at, now())
         WHERE id = $1 AND status NOT IN ('delivered', 'undeliverable')
         RETURNING id),
       recorded AS (INSERT INTO message_events (message_id, kind, outcome) SELECT id, 'report', $2 FROM updated)
       SELECT count(*)::int AS count FROM updated`,
      [id, status],
    );
    return rows[0].count > 0;
  }
}

/** "You paid 12.99 EUR", as billing words a receipt. */
function receiptText(amountInMinorUnits: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `You paid ${(amountInMinorUnits / 10 ** digits).toFixed(digits)} ${currency}`;
}

/** A message as billing's GET /messages/:id shows it. */
export function messageView(row: MessageRow) {
  return {
    id: row.id,
    message: row.url,
    paymentId: row.payment_id,
    text: row.text,
    phoneNumber: row.phone_number,
    status: row.status,
    attempts: row.attempts,
    lastAttempt: row.last_attempt,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    reportedAt: row.reported_at?.toISOString() ?? null,
  };
}
