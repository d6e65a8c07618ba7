import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `pending` until connectivity acknowledged it (202 or 409), then `sent`; `failed` when delivery
 * gave up. Connectivity's delivery report makes it `delivered` or `undeliverable`: final statuses,
 * which nothing moves back.
 */
export type MessageStatus = 'pending' | 'sent' | 'failed' | 'delivered' | 'undeliverable';

/** The statuses a delivery report sets. */
export const FINAL_STATUSES = ['delivered', 'undeliverable'] as const;

/**
 * A message billing wants connectivity to send: the outbox. It is written in the same
 * transaction as the payment it is about, so a payment never exists without its message,
 * and it stays `pending` until its delivery is acknowledged.
 */
@Entity({ name: 'messages' })
@Index('messages_pending_created_at_idx', ['createdAt'], { where: `status = 'pending'` })
@Index('messages_created_at_id_idx', ['createdAt', 'id'])
export class Message {
  @PrimaryColumn('uuid')
  id: string;

  /** The message's URL at billing: its identity for connectivity and the job queue. */
  @Column({ type: 'text', unique: true })
  url: string;

  @Column({ name: 'payment_id', type: 'uuid' })
  paymentId: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'phone_number', type: 'text' })
  phoneNumber: string;

  @Column({ type: 'text', default: 'pending' })
  status: MessageStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** What the last attempt came to: `HTTP 503`, `ECONNREFUSED: …`. */
  @Column({ name: 'last_attempt', type: 'text', nullable: true })
  lastAttempt: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When connectivity's delivery report arrived. */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;
}
