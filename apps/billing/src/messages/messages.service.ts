import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DeliveryAttempt } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { FINAL_STATUSES, Message } from './message.entity';
import { MessageEvent } from './message-event.entity';
import { DeliveryAttemptLog } from './delivery-attempt-log';
import { MessageCounts, MessagesRepository } from './messages.repository';
import { OutboxEntry } from './outbox-entry';

/** What became of a delivery report: recorded, a repeat, or about another message than its URL says. */
export type DeliveryReportOutcome = { kind: 'recorded'; message: Message } | { kind: 'duplicate' } | { kind: 'mismatch'; url: string };

/** The outbox's messages: how they are added, read, and moved by delivery attempts and reports. */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly messages: MessagesRepository,
    private readonly attemptLog: DeliveryAttemptLog,
  ) {}

  /**
   * A new message about a payment, named by its URL at billing, with what stores it: the caller
   * puts the entry's statement parts into the statement that stores the payment (see OutboxEntry).
   */
  outboxEntry(about: Pick<Message, 'paymentId' | 'text' | 'phoneNumber' | 'createdAt'>): OutboxEntry {
    const id = randomUUID();
    const message = Object.assign(new Message(), {
      id,
      url: `${this.config.publicUrl}/messages/${id}`,
      paymentId: about.paymentId,
      text: about.text,
      phoneNumber: about.phoneNumber,
      status: 'pending',
      attempts: 0,
      lastAttempt: null,
      createdAt: about.createdAt,
      sentAt: null,
      reportedAt: null,
    } satisfies Message);
    return this.messages.outboxEntry(message);
  }

  /** The message `id` names (a UUID, as the controller's UuidParam makes sure), or a 404 AppError. */
  async findById(id: string): Promise<Message> {
    const message = await this.messages.findById(id);
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /** The message about the payment `paymentId`, if it has one. */
  findByPaymentId(paymentId: string): Promise<Message | null> {
    return this.messages.findByPaymentId(paymentId);
  }

  /** The `limit` latest messages, newest first. */
  latest(limit: number): Promise<Message[]> {
    return this.messages.latest(limit);
  }

  /** Messages counted by status, and those sent in the last `sentWithinSeconds`. */
  counters(sentWithinSeconds: number): Promise<MessageCounts> {
    return this.messages.countByStatus(sentWithinSeconds);
  }

  /** Records one delivery attempt of the message it names, with its step in the message's timeline. */
  recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    return this.attemptLog.record(attempt);
  }

  /** The timelines of these messages, each oldest step first. */
  timelines(messageIds: string[]): Promise<Map<string, MessageEvent[]>> {
    return this.messages.timelines(messageIds);
  }

  /**
   * Records connectivity's delivery report about the message `id` (a UUID), which must be
   * `messageUrl`: the message takes its final status, whatever it was before (a report may overtake
   * the 202 it follows), and the report joins its timeline. A message that already had a final
   * status is left as it was: the report was a repeat.
   */
  async recordDeliveryReport(id: string, messageUrl: string, status: (typeof FINAL_STATUSES)[number]): Promise<DeliveryReportOutcome> {
    const written = await this.messages.recordDeliveryReport(id, messageUrl, status);
    if (!written) throw AppError.notFound(`message ${id}`);
    if (written.url !== messageUrl) return { kind: 'mismatch', url: written.url };
    if (!written.reported) return { kind: 'duplicate' };
    return { kind: 'recorded', message: written.reported };
  }

  /** Puts a failed message back to pending, as its job is about to be sent again; false if it was not failed. */
  markPending(url: string): Promise<boolean> {
    return this.messages.markPending(url);
  }

  /**
   * Pending messages created before `olderThanMs` ago, oldest first, in pages of `pageSize`
   * (keyset pagination: each page starts after the last one seen).
   */
  pendingOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    return this.messages.pendingOlderThan(olderThanMs, pageSize);
  }

  /** Of the messages with these ids, the ids of those pending now. */
  stillPending(ids: string[]): Promise<string[]> {
    return this.messages.stillPending(ids);
  }
}
