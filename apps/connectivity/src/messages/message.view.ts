import { Message } from './message.entity';

/** A stored message as the API shows it. */
export function messageView(message: Message) {
  return {
    id: message.id,
    message: message.messageUrl,
    text: message.text,
    phoneNumber: message.phoneNumber,
    status: message.status,
    receivedAt: message.receivedAt.toISOString(),
    callback: message.callback,
    finalAt: message.finalAt?.toISOString() ?? null,
  };
}
