import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Messaging } from '@onebip/messaging';
import { AppError, isUuid } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { Message } from '../messages/message.entity';
import { MessageEvent } from '../messages/message-event.entity';
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
    const { payment, message } = await this.dataSource.transaction(async (manager) => {
      const createdAt = new Date();
      const payment = manager.create(Payment, { id: randomUUID(), amount: order.amount, currency: order.currency, phoneNumber: order.phoneNumber, createdAt });
      const messageId = randomUUID();
      const message = manager.create(Message, {
        id: messageId,
        url: `${this.config.publicUrl}/messages/${messageId}`,
        paymentId: payment.id,
        text: receiptText(order.amount, order.currency),
        phoneNumber: order.phoneNumber,
        createdAt,
      });
      await manager.insert(Payment, payment);
      await manager.insert(Message, message);
      await manager.insert(MessageEvent, { messageId, kind: 'created', at: createdAt });
      return { payment, message };
    });
    this.logger.log({ msg: `payment ${payment.id}: message ${message.url} created`, payment: payment.id, message: message.url });
    try {
      await this.messaging.send(this.jobs.jobFor(message));
    } catch (error) {
      this.logger.warn(`message ${message.url} stays pending until the sweep: ${(error as Error).message}`);
    }
    return { payment, message };
  }

  async findById(id: string): Promise<{ payment: Payment; message: Message | null }> {
    const payment = isUuid(id) ? await this.payments.findOneBy({ id }) : null;
    if (!payment) throw AppError.notFound(`payment ${id}`);
    const message = await this.dataSource.getRepository(Message).findOneBy({ paymentId: id });
    return { payment, message };
  }
}
