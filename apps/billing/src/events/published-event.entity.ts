import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Something that happened at billing, as it is published: the CloudEvent's own attributes, but
 * for `source` and `specversion`, which are billing's (docs/architecture.md, "Events"). Written in
 * the transaction of what it tells of, so it exists exactly when that does; kept
 * EVENT_RETENTION_DAYS, for subscribers that join later and ask for what they missed (`since`).
 */
@Entity({ name: 'events' })
@Index('events_time_id_idx', ['time', 'id'])
export class PublishedEvent {
  @PrimaryColumn('uuid')
  id: string;

  /** The full CloudEvents type, such as `com.onebip.billing.payment.created`. */
  @Column({ type: 'text' })
  type: string;

  /** The URL of the resource the event is about (the payment's). */
  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'timestamptz' })
  time: Date;

  /** The resource as an unsigned GET shows it, at the event's time. */
  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;
}
