import { Message } from '../messages/message.entity';
import { Payment } from './payment.entity';

/** A payment as the API shows it, with the URL of its receipt message. */
export function paymentView(payment: Payment, message: Message | null) {
  return {
    id: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    phoneNumber: payment.phoneNumber,
    createdAt: payment.createdAt.toISOString(),
    message: message?.url ?? null,
  };
}
