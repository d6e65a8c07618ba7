import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** `pending` until the subscriber answers 2xx or 409 (`delivered`), `failed` when its retries gave up. */
export type EventDeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One event on its way to one subscriber: written with the event (or when a subscriber asks for a
 * backfill), so that the sweep finds every delivery whose job Redis lost.
 */
@Entity({ name: 'event_deliveries' })
@Unique(['eventId', 'subscriber'])
@Index('event_deliveries_pending_idx', ['createdAt', 'id'], { where: `status = 'pending'` })
@Index('event_deliveries_subscriber_idx', ['subscriber'])
export class EventDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  subscriber: string;

  @Column({ type: 'text', default: 'pending' })
  status: EventDeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** What the last attempt came to, such as `HTTP 503`. */
  @Column({ name: 'last_attempt', type: 'text', nullable: true })
  lastAttempt: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
