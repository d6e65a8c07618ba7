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
    report: reportOf(message),
  };
}

/**
 * What became of the delivery report: null without a callback; `owed` until the sender
 * acknowledges it (`acknowledged`) or its retries give up (`given-up`, a dead letter).
 */
function reportOf(message: Message): 'owed' | 'acknowledged' | 'given-up' | null {
  if (!message.callback) return null;
  if (message.reportAcknowledgedAt) return 'acknowledged';
  return message.reportGivenUpAt ? 'given-up' : 'owed';
}
