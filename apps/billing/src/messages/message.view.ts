import { Message } from './message.entity';

/** An outbox message as the API shows it. */
export function messageView(message: Message) {
  return {
    id: message.id,
    message: message.url,
    paymentId: message.paymentId,
    text: message.text,
    phoneNumber: message.phoneNumber,
    status: message.status,
    attempts: message.attempts,
    lastAttempt: message.lastAttempt,
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    reportedAt: message.reportedAt?.toISOString() ?? null,
  };
}
