import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `accepted` until the carrier took it (`delivered`) or the retries gave up (`undeliverable`). */
export type MessageStatus = 'accepted' | 'delivered' | 'undeliverable';

/**
 * A message connectivity accepted to send. Its URL, the sender's resource, is its identity:
 * compared in its canonical form (`messageUrlCanonical`, docs/protocol.md), kept as received
 * (`messageUrl`) for everything sent back.
 */
@Entity({ name: 'messages' })
@Index('messages_message_url_key', ['messageUrl'], { unique: true })
@Index('messages_message_url_canonical_key', ['messageUrlCanonical'], { unique: true })
@Index('messages_accepted_received_at_idx', ['receivedAt', 'id'], { where: `status = 'accepted'` })
@Index('messages_report_owed_final_at_idx', ['finalAt', 'id'], {
  where: `status <> 'accepted' AND callback IS NOT NULL AND report_acknowledged_at IS NULL AND report_given_up_at IS NULL`,
})
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'message_url', type: 'text' })
  messageUrl: string;

  /** The URL's canonical form: what a respelling of it is compared by. */
  @Column({ name: 'message_url_canonical', type: 'text' })
  messageUrlCanonical: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'phone_number', type: 'text' })
  phoneNumber: string;

  @Column({ type: 'text', default: 'accepted' })
  status: MessageStatus;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** Where the sender wants the delivery report, if anywhere. */
  @Column({ type: 'text', nullable: true })
  callback: string | null;

  /** When the message reached its final status. */
  @Column({ name: 'final_at', type: 'timestamptz', nullable: true })
  finalAt: Date | null;

  /** When the sender answered the delivery report 202 or 409: nothing more is owed it. */
  @Column({ name: 'report_acknowledged_at', type: 'timestamptz', nullable: true })
  reportAcknowledgedAt: Date | null;

  /** When the report's retries gave up, or the sender refused it for good (a dead letter). */
  @Column({ name: 'report_given_up_at', type: 'timestamptz', nullable: true })
  reportGivenUpAt: Date | null;
}
