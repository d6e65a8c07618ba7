import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Messaging } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { Message } from '../messages/message.entity';
import { MessageDeliveryJobs } from '../messages/message-delivery-jobs';
import { CreatePaymentDto } from './create-payment.dto';
import { Payment } from './payment.entity';
import { receiptText } from './receipt-text';

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly jobs: MessageDeliveryJobs,
    private readonly messaging: Messaging,
  ) {}

  /**
   * Takes a payment: stores it and its receipt message in one transaction, then queues the
   * message's delivery to connectivity and returns without waiting for it. Connectivity being
   * down changes nothing here; even Redis being down only delays the message until the sweep.
   */
  async pay(order: CreatePaymentDto): Promise<{ payment: Payment; message: Message }> {
    const createdAt = new Date();
    const payment = this.payments.create({ id: randomUUID(), amount: order.amount, currency: order.currency, phoneNumber: order.phoneNumber, createdAt });
    const messageId = randomUUID();
    const message = this.dataSource.getRepository(Message).create({
      id: messageId,
      url: `${this.config.publicUrl}/messages/${messageId}`,
      paymentId: payment.id,
      text: receiptText(order.amount, order.currency),
      phoneNumber: order.phoneNumber,
      status: 'pending',
      attempts: 0,
      lastAttempt: null,
      createdAt,
      sentAt: null,
      reportedAt: null,
    });
    // The payment, its message and the first step of the message's timeline: one statement, so
    // one round trip and atomic without BEGIN and COMMIT (the hot path of the public API; a
    // TypeORM transaction made five round trips for the same three rows).
    await this.dataSource.query(
      `WITH payment AS (
         INSERT INTO payments (id, amount, currency, phone_number, created_at) VALUES ($1, $2, $3, $4, $5)),
       message AS (
         INSERT INTO messages (id, url, payment_id, text, phone_number, created_at) VALUES ($6, $7, $1, $8, $4, $5))
       INSERT INTO message_events (message_id, kind, at) VALUES ($6, 'created', $5)`,
      [payment.id, payment.amount, payment.currency, payment.phoneNumber, createdAt, message.id, message.url, message.text],
    );
    this.logger.log({ msg: `payment ${payment.id}: message ${message.url} created`, payment: payment.id, message: message.url });
    try {
      await this.messaging.send(this.jobs.jobFor(message));
    } catch (error) {
      this.logger.warn(`message ${message.url} stays pending until the sweep: ${(error as Error).message}`);
    }
    return { payment, message };
  }

  /** The payment `id` names (a UUID, as the controller's UuidParam makes sure) with its message, or a 404 AppError. */
  async findById(id: string): Promise<{ payment: Payment; message: Message | null }> {
    const payment = await this.payments.findOneBy({ id });
    if (!payment) throw AppError.notFound(`payment ${id}`);
    const message = await this.dataSource.getRepository(Message).findOneBy({ paymentId: id });
    return { payment, message };
  }
}
