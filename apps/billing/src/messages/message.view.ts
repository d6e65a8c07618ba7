import { maskPhoneNumber } from '@onebip/platform';
import { Message } from './message.entity';

/** An outbox message as the API shows it; the phone number masked but for its last three digits unless `wholePhoneNumber`. */
export function messageView(message: Message, { wholePhoneNumber }: { wholePhoneNumber: boolean }) {
  return {
    id: message.id,
    message: message.url,
    paymentId: message.paymentId,
    text: message.text,
    phoneNumber: wholePhoneNumber ? message.phoneNumber : maskPhoneNumber(message.phoneNumber),
    status: message.status,
    attempts: message.attempts,
    lastAttempt: message.lastAttempt,
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    reportedAt: message.reportedAt?.toISOString() ?? null,
  };
}
