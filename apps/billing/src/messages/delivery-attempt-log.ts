import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';

interface Pending {
  attempt: DeliveryAttempt;
  settle: (error?: Error) => void;
}

/**
 * Records delivery attempts on their messages and timelines. The attempts reported during one turn
 * of the event loop (a worker delivering many messages at once finishes several together) are
 * written in one statement: one round trip and one commit instead of one each. Each caller still
 * waits until its own attempt is committed, so a job never completes before its message says so.
 */
@Injectable()
export class DeliveryAttemptLog {
  private pending: Pending[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(attempt: DeliveryAttempt): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ attempt, settle: (error) => (error ? reject(error) : resolve()) });
      if (this.pending.length === 1) setImmediate(() => void this.writePending());
    });
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    // One statement updates a message at most once: a second attempt of the same message in the
    // batch (a job run again after a lost lock) waits for the next one.
    const seen = new Set<string>();
    const now = batch.filter(({ attempt }) => !seen.has(attempt.identity) && seen.add(attempt.identity));
    const later = batch.filter((entry) => !now.includes(entry));
    if (later.length > 0) {
      this.pending.unshift(...later);
      setImmediate(() => void this.writePending());
    }
    try {
      await this.write(now.map(({ attempt }) => attempt));
      now.forEach(({ settle }) => settle());
    } catch (error) {
      now.forEach(({ settle }) => settle(error as Error));
    }
  }

  /**
   * A message only moves forward: once `sent`, a late report of a failure cannot make it `pending`
   * or `failed` again, and a delivery report that came first stays.
   */
  private async write(attempts: DeliveryAttempt[]): Promise<void> {
    const column = <T>(pick: (attempt: DeliveryAttempt) => T) => attempts.map(pick);
    await this.dataSource.query(
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
}
