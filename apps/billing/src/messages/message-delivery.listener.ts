import { Injectable } from '@nestjs/common';
import { DeliveryAttempt, DeliveryListener } from '@onebip/messaging';
import { MessagesService } from './messages.service';

/** Keeps each outbox message's status and attempt count in step with its delivery job. */
@Injectable()
export class MessageDeliveryListener implements DeliveryListener {
  constructor(private readonly messages: MessagesService) {}

  async onAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.messages.recordAttempt(attempt);
  }
}
