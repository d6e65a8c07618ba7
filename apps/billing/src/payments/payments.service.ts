import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Messaging } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import { CreatePaymentDto } from './create-payment.dto';
import { Payment } from './payment.entity';
import { PaymentsRepository } from './payments.repository';
import { receiptText } from './receipt-text';
import { MessageDeliveryJobs, MessagesService } from '../messages';
import type { Message } from '../messages';

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly messages: MessagesService,
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
    const payment = Object.assign(new Payment(), {
      id: randomUUID(),
      amount: order.amount,
      currency: order.currency,
      phoneNumber: order.phoneNumber,
      createdAt,
    } satisfies Payment);
    const receipt = this.messages.outboxEntry({
      paymentId: payment.id,
      text: receiptText(order.amount, order.currency),
      phoneNumber: order.phoneNumber,
      createdAt,
    });
    await this.payments.insertWithMessage(payment, receipt);
    const { message } = receipt;
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
    const payment = await this.payments.findById(id);
    if (!payment) throw AppError.notFound(`payment ${id}`);
    const message = await this.messages.findByPaymentId(id);
    return { payment, message };
  }
}
