import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Subscription } from './subscription.entity';

/** What a subscriber asks for: where, which types, from when. */
export type SubscriptionTerms = Pick<Subscription, 'url' | 'types' | 'since'>;

/** The statements on `subscriptions`. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>) {}

  find(subscriber: string): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ subscriber });
  }

  list(): Promise<Subscription[]> {
    return this.subscriptions.find({ order: { subscriber: 'ASC' } });
  }

  /**
   * Stores a new subscription and, in the same statement, its backfill: a delivery of every stored
   * event since `terms.since` of its types (none without `since`). Null when one of that name exists
   * already (a PUT raced this one).
   */
  async insert(subscriber: string, terms: SubscriptionTerms, secret: string): Promise<{ subscription: Subscription; backfilled: number } | null> {
    const [row]: { made: number; backfilled: number }[] = await this.subscriptions.query(
      `WITH made AS (
         INSERT INTO subscriptions (subscriber, url, types, since, secret) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (subscriber) DO NOTHING RETURNING subscriber, types, since),
       backfill AS (
         INSERT INTO event_deliveries (id, event_id, subscriber, created_at)
         SELECT gen_random_uuid(), e.id, made.subscriber, now() FROM made JOIN events e ON e.time >= made.since
         WHERE made.types IS NULL OR e.type = ANY (made.types)
         RETURNING id)
       SELECT (SELECT count(*) FROM made)::int AS made, (SELECT count(*) FROM backfill)::int AS backfilled`,
      [subscriber, terms.url, terms.types, terms.since, secret],
    );
    if (row.made === 0) return null;
    return { subscription: (await this.find(subscriber)) as Subscription, backfilled: row.backfilled };
  }

  /** Changes what the subscriber asks for; its secret stays. */
  async update(subscriber: string, terms: SubscriptionTerms): Promise<Subscription | null> {
    await this.subscriptions.update({ subscriber }, { ...terms, updatedAt: () => 'now()' });
    return this.find(subscriber);
  }

  /**
   * A subscription declared at boot (EVENT_SUBSCRIPTIONS): made, or made to say what the
   * declaration says. A changed secret replaces the one before, which still signs for `overlapSeconds`.
   */
  async declare(subscriber: string, terms: SubscriptionTerms, secret: string, overlapSeconds: number): Promise<void> {
    await this.subscriptions.query(
      `INSERT INTO subscriptions AS s (subscriber, url, types, since, secret) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subscriber) DO UPDATE SET
         url = excluded.url, types = excluded.types, updated_at = now(),
         previous_secret = CASE WHEN s.secret = excluded.secret THEN s.previous_secret ELSE s.secret END,
         previous_secret_until = CASE WHEN s.secret = excluded.secret THEN s.previous_secret_until ELSE now() + make_interval(secs => $6) END,
         secret = excluded.secret`,
      [subscriber, terms.url, terms.types, terms.since, secret, overlapSeconds],
    );
  }

  /** Gives the subscription a new secret; the one before still signs for `overlapSeconds`. Null: no such subscription. */
  async rotateSecret(subscriber: string, secret: string, overlapSeconds: number): Promise<Subscription | null> {
    const [rows]: [unknown[], number] = await this.subscriptions.query(
      `UPDATE subscriptions SET previous_secret = secret, previous_secret_until = now() + make_interval(secs => $3), secret = $2, updated_at = now()
       WHERE subscriber = $1 RETURNING subscriber`,
      [subscriber, secret, overlapSeconds],
    );
    return rows.length > 0 ? this.find(subscriber) : null;
  }

  /** Ends the subscription; its deliveries, those not yet made too, go with it (the foreign key cascades). False when there was none. */
  async delete(subscriber: string): Promise<boolean> {
    const result = await this.subscriptions.delete({ subscriber });
    return (result.affected ?? 0) > 0;
  }
}
