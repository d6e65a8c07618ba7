import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';

interface Pending {
  attempt: DeliveryAttempt;
  settle: (error?: Error) => void;
}

/**
 * Records delivery attempts on their messages and timelines. The attempts reported while a write
 * is under way (a worker delivering many messages at once finishes several together) are written
 * next, in one statement: one round trip and one commit instead of one each. Writes go one after
 * another, so two attempts of one message are recorded in the order they were reported. Each
 * caller waits until its own attempt is committed, so a job never completes before its message
 * says so.
 */
@Injectable()
export class DeliveryAttemptLog {
  private pending: Pending[] = [];
  private writing?: Promise<void>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  record(attempt: DeliveryAttempt): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ attempt, settle: (error) => (error ? reject(error) : resolve()) });
      this.writing ??= new Promise<void>((started) => setImmediate(started)).then(() => this.writeAll());
    });
  }

  /** Writes batches until none is left; a batch takes at most one attempt of each message. */
  private async writeAll(): Promise<void> {
    try {
      await this.writeBatches();
    } finally {
      this.writing = undefined;
    }
  }

  private async writeBatches(): Promise<void> {
    while (this.pending.length > 0) {
      const seen = new Set<string>();
      const batch: Pending[] = [];
      const later: Pending[] = [];
      for (const entry of this.pending) {
        (seen.has(entry.attempt.identity) ? later : batch).push(entry);
        seen.add(entry.attempt.identity);
      }
      this.pending = later;
      await this.writeBatch(batch);
    }
  }

  /** One statement for the batch; if it fails, each attempt alone, so one bad row fails only its own caller. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    // Rows locked in one order by every writer: two billing workers cannot deadlock on them.
    batch.sort((a, b) => (a.attempt.identity < b.attempt.identity ? -1 : a.attempt.identity > b.attempt.identity ? 1 : 0));
    try {
      await this.write(batch.map(({ attempt }) => attempt));
      batch.forEach(({ settle }) => settle());
    } catch (error) {
      if (batch.length === 1) return batch[0].settle(error as Error);
      for (const entry of batch) {
        await this.write([entry.attempt]).then(
          () => entry.settle(),
          (alone: Error) => entry.settle(alone),
        );
      }
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
