import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DeliveryAttempt } from '@onebip/messaging';
import { AppError, isUuid } from '@onebip/platform';
import { FINAL_STATUSES, Message } from './message.entity';

@Injectable()
export class MessagesService {
  constructor(@InjectRepository(Message) private readonly messages: Repository<Message>) {}

  async findById(id: string): Promise<Message> {
    const message = isUuid(id) ? await this.messages.findOneBy({ id }) : null;
    if (!message) throw AppError.notFound(`message ${id}`);
    return message;
  }

  /**
   * Records one delivery attempt of the message it names. A message only moves forward:
   * once `sent`, a late report of a failure cannot make it `pending` or `failed` again.
   */
  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    const update = this.messages
      .createQueryBuilder()
      .update()
      .where('url = :url', { url: attempt.identity })
      .set({ attempts: () => 'attempts + 1', lastAttempt: attempt.detail });
    if (attempt.outcome === 'delivered') {
      update.set({
        attempts: () => 'attempts + 1',
        lastAttempt: attempt.detail,
        // A delivery report may have come first: a final status stays.
        status: () => `CASE WHEN status IN ('pending', 'failed') THEN 'sent' ELSE status END`,
        sentAt: () => 'COALESCE(sent_at, now())',
      });
    } else if (attempt.outcome === 'gave-up') {
      update.set({
        attempts: () => 'attempts + 1',
        lastAttempt: attempt.detail,
        status: () => `CASE WHEN status = 'pending' THEN 'failed' ELSE status END`,
      });
    }
    await update.execute();
  }

  /**
   * Records connectivity's delivery report: the message takes its final status, whatever it was
   * before (a report may overtake the 202 it follows). Returns false when the message already had
   * a final status: the report was a repeat, and changes nothing.
   */
  async recordDeliveryReport(id: string, status: (typeof FINAL_STATUSES)[number]): Promise<boolean> {
    const result = await this.messages
      .createQueryBuilder()
      .update()
      .set({ status, reportedAt: () => 'now()', sentAt: () => 'COALESCE(sent_at, now())' })
      .where(`id = :id AND status NOT IN ('delivered', 'undeliverable')`, { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Puts a failed message back to pending, as its job is about to be sent again; false if it was not failed. */
  async markPending(url: string): Promise<boolean> {
    const result = await this.messages.update({ url, status: 'failed' }, { status: 'pending' });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Pending messages created before `olderThanMs` ago, oldest first, in pages of `pageSize`
   * (keyset pagination: each page starts after the last one seen).
   */
  async *pendingOlderThan(olderThanMs: number, pageSize = 1000): AsyncGenerator<Message[]> {
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const query = this.messages
        .createQueryBuilder('message')
        .where(`message.status = 'pending'`)
        .andWhere(`message.created_at < now() - make_interval(secs => :seconds)`, { seconds: olderThanMs / 1000 })
        .orderBy('message.created_at')
        .addOrderBy('message.id')
        .limit(pageSize);
      if (after) query.andWhere('(message.created_at, message.id) > (:createdAt, :id)', after);
      const page = await query.getMany();
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}

