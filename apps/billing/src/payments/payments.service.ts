import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Messaging } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import { CreatePaymentDto } from './create-payment.dto';
import { Payment } from './payment.entity';
import { PaymentsRepository } from './payments.repository';
import { paymentView } from './payment.view';
import { receiptText } from './receipt-text';
import { EventsService } from '../events';
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
    private readonly events: EventsService,
  ) {}

  /**
   * Takes a payment: stores it, its receipt message and the event that tells of it in one
   * transaction, then queues the message's delivery to connectivity and the event's to each
   * subscriber, and returns without waiting for them. Connectivity or a subscriber being down
   * changes nothing here; even Redis being down only delays them until the sweep.
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
    const { message } = receipt;
    // What an unsigned GET /payments/:id shows: a subscriber that needs more asks, signed.
    const event = this.events.paymentCreated(payment.id, paymentView(payment, message, { wholePhoneNumber: false }), createdAt);
    const deliveries = await this.payments.insertWithOutbox(payment, receipt, event);
    this.logger.log({ msg: `payment ${payment.id}: message ${message.url} created`, payment: payment.id, message: message.url });
    await Promise.all([this.sendMessage(message), this.events.dispatch(event.event, deliveries)]);
    return { payment, message };
  }

  private async sendMessage(message: Message): Promise<void> {
    try {
      await this.messaging.send(this.jobs.jobFor(message));
    } catch (error) {
      this.logger.warn(`message ${message.url} stays pending until the sweep: ${(error as Error).message}`);
    }
  }

  /** The payment `id` names (a UUID, as the controller's UuidParam makes sure) with its message, or a 404 AppError. */
  async findById(id: string): Promise<{ payment: Payment; message: Message | null }> {
    const payment = await this.payments.findById(id);
    if (!payment) throw AppError.notFound(`payment ${id}`);
    const message = await this.messages.findByPaymentId(id);
    return { payment, message };
  }
}
