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

  /** The payment, its receipt message and the message's first timeline step, in one statement: the outbox. */
  async pay(order: PaymentOrder): Promise<StoredPayment> {
    const createdAt = new Date();
    const messageId = randomUUID();
    const payment = {
      id: randomUUID(),
      ...order,
      createdAt,
      message: { id: messageId, url: `${this.publicUrl}/messages/${messageId}`, text: receiptText(order.amount, order.currency) },
    };
    await this.pool.query(
      `WITH payment AS (
         INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, $2, $3, $4, $5)),
       message AS (
         INSERT INTO messages (id, url, payment_id, text, phone_number, created_at) VALUES ($6, $7, $1, $8, $4, $5))
       INSERT INTO message_events (message_id, kind, at) VALUES ($6, 'created', $5)`,
      [payment.id, order.amount, order.currency, order.phoneNumber, createdAt, messageId, payment.message.url, payment.message.text],
    );
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

  /**
   * The delivery report about message `id`, which must be `url`: its final status and its step in
   * the timeline, in one statement. Undefined when there is no such message.
   */
  async recordReport(
    id: string,
    url: string,
    status: string,
  ): Promise<{ kind: 'recorded'; message: MessageRow } | { kind: 'duplicate' } | { kind: 'mismatch' } | undefined> {
    const { rows } = await this.pool.query(
      `WITH target AS (SELECT id, url FROM messages WHERE id = $1),
       updated AS (
         UPDATE messages SET status = $3, reported_at = now(), sent_at = COALESCE(sent_at, now())
         WHERE id = (SELECT id FROM target WHERE url = $2) AND status NOT IN ('delivered', 'undeliverable')
         RETURNING *),
       recorded AS (INSERT INTO message_events (message_id, kind, outcome) SELECT id, 'report', $3 FROM updated)
       SELECT target.url AS target_url, updated.* FROM target LEFT JOIN updated ON true`,
      [id, url, status],
    );
    if (rows.length === 0) return undefined;
    if (rows[0].target_url !== url) return { kind: 'mismatch' };
    if (rows[0].id === null) return { kind: 'duplicate' };
    return { kind: 'recorded', message: rows[0] as MessageRow };
  }
}

/** Decimal places of each currency, looked up once, as billing does. */
const FRACTION_DIGITS = new Map<string, number>();

/** "You paid 12.99 EUR", as billing words a receipt. */
function receiptText(amountInMinorUnits: number, currency: string): string {
  let digits = FRACTION_DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    FRACTION_DIGITS.set(currency, digits);
  }
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
