import { Injectable } from '@nestjs/common';
import { DeadLetter, DeadLetters } from '@onebip/messaging';
import { AppError } from '@onebip/platform';
import { MessagesService } from '../messages';

/** Failed deliveries, for operators to see and send again. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly messages: MessagesService,
  ) {}

  list(): Promise<DeadLetter[]> {
    return this.deadLetters.list();
  }

  /**
   * Sends a dead letter again. Its message goes back to `pending` first, so that the delivery,
   * however quick, always has the last word on the status.
   */
  async retry(id: string): Promise<DeadLetter> {
    const letter = await this.deadLetters.find(id);
    if (!letter) throw AppError.notFound(`dead letter ${id}`);
    await this.messages.markPending(letter.identity);
    await this.deadLetters.retry(id);
    return letter;
  }

  async retryAll(): Promise<DeadLetter[]> {
    const retried: DeadLetter[] = [];
    for (const letter of await this.deadLetters.list()) {
      await this.messages.markPending(letter.identity);
      if (await this.deadLetters.retry(letter.id)) retried.push(letter);
    }
    return retried;
  }
}
