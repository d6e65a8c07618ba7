import { Injectable } from '@nestjs/common';
import { DeadLetter, DeadLetters } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import { EventDeliveryJobs, EventQueues, EventsService, SubscriptionsService } from '../events';
import { MessagesService } from '../messages';

/** A failed delivery as operators see it: a message to connectivity, or an event to the subscriber named. */
export type BillingDeadLetter = DeadLetter & { subscriber: string | null };

/** Failed deliveries, for operators to see and send again: billing's messages, and its events per subscriber. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly messages: MessagesService,
    private readonly subscriptions: SubscriptionsService,
    private readonly queues: EventQueues,
    private readonly events: EventsService,
    private readonly eventJobs: EventDeliveryJobs,
  ) {}

  async list(): Promise<BillingDeadLetter[]> {
    const letters: BillingDeadLetter[] = (await this.deadLetters.list()).map((letter) => ({ ...letter, subscriber: null }));
    for (const subscriber of await this.subscribers()) {
      for (const letter of await this.queues.deadLettersFor(subscriber).list()) letters.push({ ...letter, subscriber });
    }
    return letters;
  }

  /**
   * Sends a dead letter again. Its message (or event delivery) goes back to `pending` first, so
   * that the delivery, however quick, always has the last word on the status.
   */
  async retry(id: string): Promise<BillingDeadLetter> {
    const letter = await this.deadLetters.find(id);
    if (letter) {
      await this.messages.markPending(letter.identity);
      await this.deadLetters.retry(id);
      return { ...letter, subscriber: null };
    }
    for (const subscriber of await this.subscribers()) {
      const eventLetter = await this.queues.deadLettersFor(subscriber).find(id);
      if (eventLetter) {
        await this.retryEventDelivery(subscriber, eventLetter);
        return { ...eventLetter, subscriber };
      }
    }
    throw AppError.notFound(`dead letter ${id}`);
  }

  async retryAll(): Promise<BillingDeadLetter[]> {
    const retried: BillingDeadLetter[] = [];
    for (const letter of await this.deadLetters.list()) {
      await this.messages.markPending(letter.identity);
      if (await this.deadLetters.retry(letter.id)) retried.push({ ...letter, subscriber: null });
    }
    for (const subscriber of await this.subscribers()) {
      for (const letter of await this.queues.deadLettersFor(subscriber).list()) {
        if (await this.retryEventDelivery(subscriber, letter)) retried.push({ ...letter, subscriber });
      }
    }
    return retried;
  }

  private async retryEventDelivery(subscriber: string, letter: DeadLetter): Promise<boolean> {
    const delivery = this.eventJobs.deliveryOf(letter.identity);
    if (delivery) await this.events.markPending(delivery.eventId, delivery.subscriber);
    return this.queues.deadLettersFor(subscriber).retry(letter.id);
  }

  private async subscribers(): Promise<string[]> {
    return (await this.subscriptions.list()).map((subscription) => subscription.subscriber);
  }
}
