import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Payment } from './payment.entity';
import type { DeliveryToMake, EventEntry } from '../events';
import type { OutboxEntry } from '../messages';

/** The parameters of the payment's own columns in the insert, $1 to $5; the outbox entry's follow. */
const PAYMENT_PARAMETERS = 5;

/** The statements on the `payments` table. */
@Injectable()
export class PaymentsRepository {
  constructor(@InjectRepository(Payment) private readonly payments: Repository<Payment>) {}

  /**
   * Stores the payment and, in the same statement, the outbox entry about it and the event that
   * tells of it with its deliveries: all or nothing. The entries' CTEs are the messages' and the
   * events' features' text; this statement only places them before its own insert. Returns the
   * event deliveries made.
   */
  async insertWithOutbox(payment: Payment, receipt: OutboxEntry, event: EventEntry): Promise<DeliveryToMake[]> {
    // One statement, so one round trip and atomic without BEGIN and COMMIT: this is the hot path of
    // the public API, and a TypeORM transaction made five round trips for the same three rows.
    const outbox = receipt.ctes(PAYMENT_PARAMETERS + 1);
    const events = event.ctes(PAYMENT_PARAMETERS + 1 + outbox.parameters.length);
    const [row]: Record<string, unknown>[] = await this.payments.query(
      `WITH ${outbox.sql}, ${events.sql}
       INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${event.returning}`,
      [payment.id, payment.amount, payment.currency, payment.phoneNumber, payment.createdAt, ...outbox.parameters, ...events.parameters],
    );
    return event.made(row);
  }

  /** The payment `id` names; `id` must be a UUID. */
  findById(id: string): Promise<Payment | null> {
    return this.payments.findOneBy({ id });
  }
}
