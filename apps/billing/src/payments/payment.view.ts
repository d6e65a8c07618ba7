import { maskPhoneNumber } from '@onebip/platform';
import { Payment } from './payment.entity';
import { Message } from '../messages';

/**
 * A payment as the API shows it, with the URL of its receipt message. The phone number is whole
 * for its payer (the answer to their POST) and for peers, masked but for its last three digits
 * for anyone else who has the id.
 */
export function paymentView(payment: Payment, message: Message | null, { wholePhoneNumber }: { wholePhoneNumber: boolean }) {
  return {
    id: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    phoneNumber: wholePhoneNumber ? payment.phoneNumber : maskPhoneNumber(payment.phoneNumber),
    createdAt: payment.createdAt.toISOString(),
    message: message?.url ?? null,
  };
}
