import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Payment } from './payment.entity';
import type { OutboxEntry } from '../messages';

/** The parameters of the payment's own columns in the insert, $1 to $5; the outbox entry's follow. */
const PAYMENT_PARAMETERS = 5;

/** The statements on the `payments` table. */
@Injectable()
export class PaymentsRepository {
  constructor(@InjectRepository(Payment) private readonly payments: Repository<Payment>) {}

  /**
   * Stores the payment and, in the same statement, the outbox entry about it: both or neither.
   * The entry's CTEs are the messages feature's text; this statement only places them before its
   * own insert.
   */
  async insertWithMessage(payment: Payment, receipt: OutboxEntry): Promise<void> {
    // One statement, so one round trip and atomic without BEGIN and COMMIT: this is the hot path of
    // the public API, and a TypeORM transaction made five round trips for the same three rows.
    const outbox = receipt.ctes(PAYMENT_PARAMETERS + 1);
    await this.payments.query(
      `WITH ${outbox.sql}
       INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [payment.id, payment.amount, payment.currency, payment.phoneNumber, payment.createdAt, ...outbox.parameters],
    );
  }

  /** The payment `id` names; `id` must be a UUID. */
  findById(id: string): Promise<Payment | null> {
    return this.payments.findOneBy({ id });
  }
}
