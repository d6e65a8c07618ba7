import { Injectable } from '@nestjs/common';
import { DeliveryAttempt } from '@onebip/messaging';
import { MessagesRepository } from './messages.repository';

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

  constructor(private readonly messages: MessagesRepository) {}

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
      await this.messages.recordAttempts(batch.map(({ attempt }) => attempt));
      batch.forEach(({ settle }) => settle());
    } catch (error) {
      if (batch.length === 1) return batch[0].settle(error as Error);
      for (const entry of batch) {
        await this.messages.recordAttempts([entry.attempt]).then(
          () => entry.settle(),
          (alone: Error) => entry.settle(alone),
        );
      }
    }
  }
}
