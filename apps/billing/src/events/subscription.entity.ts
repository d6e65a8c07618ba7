import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A peer service's wish to receive billing's events: where to POST them, which types (all when
 * `types` is null), and the secret its deliveries are signed with, its own, never one of
 * MESSAGING_SECRETS. After a rotation the previous secret still signs until `previousSecretUntil`.
 */
@Entity({ name: 'subscriptions' })
export class Subscription {
  /** The subscriber's name, chosen by it: lower-case letters, digits and dashes. */
  @PrimaryColumn('text')
  subscriber: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', array: true, nullable: true })
  types: string[] | null;

  /** The time the subscriber asked its backfill from, if it did. */
  @Column({ type: 'timestamptz', nullable: true })
  since: Date | null;

  @Column({ type: 'text' })
  secret: string;

  @Column({ name: 'previous_secret', type: 'text', nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_until', type: 'timestamptz', nullable: true })
  previousSecretUntil: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
