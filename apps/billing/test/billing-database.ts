import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ensureDatabaseExists, runMigrationsLocked } from '@onebip/platform';
import { scratchDatabase } from '@onebip/testing';
import { EventDelivery } from '../src/events/event-delivery.entity';
import { PAYMENT_CREATED } from '../src/events/event-types';
import { EventsRepository } from '../src/events/events.repository';
import { PublishedEvent } from '../src/events/published-event.entity';
import { Subscription } from '../src/events/subscription.entity';
import { MessageEvent } from '../src/messages/message-event.entity';
import { Message } from '../src/messages/message.entity';
import { MessagesRepository } from '../src/messages/messages.repository';
import { migrations } from '../src/migrations';
import { Payment } from '../src/payments/payment.entity';
import { PaymentsRepository } from '../src/payments/payments.repository';

export interface TestBillingDatabase {
  payments: PaymentsRepository;
  messages: MessagesRepository;
  events: EventsRepository;
  /** What `work` returned, and the statements it sent to PostgreSQL: one per round trip. */
  statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  close(): Promise<void>;
}

/**
 * Billing's schema, migrated, in a database of its own, with the repositories over it and no app
 * around them: for tests of the SQL itself. Every statement sent is seen, so a test can count
 * round trips.
 */
export async function openBillingDatabase(): Promise<TestBillingDatabase> {
  const database = scratchDatabase('billing');
  await ensureDatabaseExists(database.url);
  let seen: string[] | undefined;
  const ignore = () => undefined;
  const dataSource = await new DataSource({
    type: 'postgres',
    url: database.url,
    entities: [Payment, Message, MessageEvent, PublishedEvent, Subscription, EventDelivery],
    migrations,
    logger: { logQuery: (query) => seen?.push(query), logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore },
  }).initialize();
  await runMigrationsLocked(dataSource);
  return {
    payments: new PaymentsRepository(dataSource.getRepository(Payment)),
    messages: new MessagesRepository(dataSource.getRepository(Message), dataSource.getRepository(MessageEvent)),
    events: new EventsRepository(dataSource.getRepository(PublishedEvent), dataSource.getRepository(EventDelivery)),
    statementsOf: async (work) => {
      const statements: string[] = (seen = []);
      try {
        return { result: await work(), statements };
      } finally {
        seen = undefined;
      }
    },
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** A payment and its receipt message, consistent with each other, as billing would create them. */
export function buildPaymentWithMessage(overrides: { payment?: Partial<Payment>; message?: Partial<Message> } = {}): { payment: Payment; message: Message } {
  const createdAt = overrides.payment?.createdAt ?? overrides.message?.createdAt ?? new Date();
  const payment = Object.assign(new Payment(), { id: randomUUID(), amount: 1299, currency: 'EUR', phoneNumber: '393331234567', createdAt }, overrides.payment);
  const id = randomUUID();
  const message = Object.assign(
    new Message(),
    {
      id,
      url: `http://billing.test/messages/${id}`,
      paymentId: payment.id,
      text: 'You paid 12.99 EUR',
      phoneNumber: payment.phoneNumber,
      status: 'pending',
      attempts: 0,
      lastAttempt: null,
      createdAt,
      sentAt: null,
      reportedAt: null,
    } satisfies Message,
    overrides.message,
  );
  return { payment, message };
}

/** The event that tells of `payment`, as billing would publish it. */
export function buildPaymentCreated(payment: Payment): PublishedEvent {
  return Object.assign(new PublishedEvent(), {
    id: randomUUID(),
    type: PAYMENT_CREATED,
    subject: `http://billing.test/payments/${payment.id}`,
    time: payment.createdAt,
    data: { id: payment.id, amount: payment.amount },
  } satisfies PublishedEvent);
}

/** Stores a payment, its message and its event as billing does, in the outbox; returns the message. */
export async function storeMessage(database: TestBillingDatabase, overrides: Partial<Message> = {}): Promise<Message> {
  const { payment, message } = buildPaymentWithMessage({ message: overrides });
  await database.payments.insertWithOutbox(payment, database.messages.outboxEntry(message), database.events.entry(buildPaymentCreated(payment)));
  return message;
}
