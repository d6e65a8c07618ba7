import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { StatementPart, keysetPages, rowsStillMatching } from '@onebip/platform';
import { EventDelivery } from './event-delivery.entity';
import { PublishedEvent } from './published-event.entity';

/** A delivery to make: which event, to whom, where it wants it. */
export interface DeliveryToMake {
  id: string;
  eventId: string;
  subscriber: string;
  url: string;
}

/** A delivery still pending, with its event: what its job needs. */
export interface PendingDelivery extends DeliveryToMake {
  createdAt: Date;
  event: PublishedEvent;
}

/** An event with its deliveries, one per subscriber that wanted it, by subscriber. */
export interface EventWithDeliveries {
  event: PublishedEvent;
  deliveries: EventDelivery[];
}

/** The outcome of one delivery attempt, as the delivery records it. */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'gave-up';

/**
 * A new event on its way into the outbox, with the statement parts that store it and one delivery
 * for each subscription that wants its type, in the statement of what it tells of.
 */
export interface EventEntry {
  readonly event: PublishedEvent;
  /**
   * Data-modifying CTEs for the WITH list of the caller's statement, parameters from
   * `$<firstParameter>`, names starting with `events_`.
   */
  ctes(firstParameter: number): StatementPart;
  /** An expression for the caller's RETURNING list: the deliveries the statement made, as JSON, named `event_deliveries`. */
  readonly returning: string;
  /** The deliveries made, read from the row the statement returned. */
  made(row: Record<string, unknown>): DeliveryToMake[];
}

/** Deliveries still pending (a delivery goes with its subscription: the foreign key cascades). */
const PENDING = `row.status = 'pending'`;

/** The statements on `events` and `event_deliveries`. */
@Injectable()
export class EventsRepository {
  constructor(
    @InjectRepository(PublishedEvent) private readonly events: Repository<PublishedEvent>,
    @InjectRepository(EventDelivery) private readonly deliveries: Repository<EventDelivery>,
  ) {}

  entry(event: PublishedEvent): EventEntry {
    return {
      event,
      ctes(firstParameter) {
        const [id, type, subject, time, data] = Array.from({ length: 5 }, (_, index) => `$${firstParameter + index}`);
        // The subscriptions read are those of the statement's snapshot: one made later does not
        // get this event, unless it asks for a backfill (`since`) that covers it. FOR KEY SHARE
        // skips one deleted meanwhile (and waits for a DELETE in flight), so an ended subscription
        // never makes the payment's foreign-key check fail.
        return {
          sql: `events_event AS (
                  INSERT INTO events (id, type, subject, time, data) VALUES (${id}, ${type}, ${subject}, ${time}, ${data})),
                events_deliveries AS (
                  INSERT INTO event_deliveries (id, event_id, subscriber, created_at)
                  SELECT gen_random_uuid(), ${id}, s.subscriber, ${time} FROM subscriptions s
                  WHERE s.types IS NULL OR ${type}::text = ANY (s.types)
                  FOR KEY SHARE OF s
                  RETURNING id, subscriber)`,
          parameters: [event.id, event.type, event.subject, event.time, JSON.stringify(event.data)],
        };
      },
      returning: `(SELECT coalesce(json_agg(json_build_object('id', d.id, 'subscriber', d.subscriber, 'url', s.url)), '[]')
                   FROM events_deliveries d JOIN subscriptions s ON s.subscriber = d.subscriber) AS event_deliveries`,
      made: (row) =>
        (row.event_deliveries as { id: string; subscriber: string; url: string }[]).map(({ id, subscriber, url }) => ({
          id,
          eventId: event.id,
          subscriber,
          url,
        })),
    };
  }

  findById(id: string): Promise<PublishedEvent | null> {
    return this.events.findOneBy({ id });
  }

  /** The deliveries of one event, by subscriber. */
  deliveriesOf(eventId: string): Promise<EventDelivery[]> {
    return this.deliveries.find({ where: { eventId }, order: { subscriber: 'ASC' } });
  }

  /** The `limit` latest events, newest first, each with its deliveries. */
  async latest(limit: number): Promise<EventWithDeliveries[]> {
    const events = await this.events.find({ order: { time: 'DESC', id: 'DESC' }, take: limit });
    if (events.length === 0) return [];
    const deliveries = await this.deliveries.find({ where: { eventId: In(events.map((event) => event.id)) }, order: { subscriber: 'ASC' } });
    return events.map((event) => ({ event, deliveries: deliveries.filter((delivery) => delivery.eventId === event.id) }));
  }

  /**
   * Makes a delivery to `subscriber` of every stored event since `since` of these `types` (all
   * when null) that it has none of: the backfill of a new subscription. Returns how many it made.
   */
  async backfill(subscriber: string, since: Date, types: string[] | null): Promise<number> {
    const rows: unknown[] = await this.deliveries.query(
      `INSERT INTO event_deliveries (id, event_id, subscriber, created_at)
       SELECT gen_random_uuid(), e.id, $1, now() FROM events e
       WHERE e.time >= $2 AND ($3::text[] IS NULL OR e.type = ANY ($3::text[]))
       ON CONFLICT (event_id, subscriber) DO NOTHING
       RETURNING id`,
      [subscriber, since, types],
    );
    return rows.length;
  }

  /**
   * Pending deliveries of subscriptions that exist, made more than `olderThanMs` ago (all of them
   * with 0), of one subscriber or all, oldest first, in pages, with their events and subscribers' URLs.
   */
  pendingOlderThan(olderThanMs: number, { subscriber, pageSize = 500 }: { subscriber?: string; pageSize?: number } = {}): AsyncGenerator<PendingDelivery[]> {
    return keysetPages<PendingDelivery>(pageSize, async (after, limit) => {
      const rows: Record<string, unknown>[] = await this.deliveries.query(
        `SELECT row.id, row.event_id, row.subscriber, row.created_at, s.url, e.type, e.subject, e.time, e.data
         FROM event_deliveries row
         JOIN subscriptions s ON s.subscriber = row.subscriber
         JOIN events e ON e.id = row.event_id
         WHERE row.status = 'pending' AND row.created_at < now() - make_interval(secs => $1)
           AND ($2::text IS NULL OR row.subscriber = $2)
           AND ($3::uuid IS NULL OR (row.created_at, row.id) > (SELECT created_at, id FROM event_deliveries WHERE id = $3))
         ORDER BY row.created_at, row.id
         LIMIT $4`,
        [olderThanMs / 1000, subscriber ?? null, after?.id ?? null, limit],
      );
      return rows.map((row) => ({
        id: row.id as string,
        eventId: row.event_id as string,
        subscriber: row.subscriber as string,
        createdAt: row.created_at as Date,
        url: row.url as string,
        event: Object.assign(new PublishedEvent(), {
          id: row.event_id as string,
          type: row.type as string,
          subject: row.subject as string,
          time: row.time as Date,
          data: row.data as Record<string, unknown>,
        }),
      }));
    });
  }

  /** Of the deliveries with these ids, the ids of those pending now. */
  stillPending(ids: string[]): Promise<string[]> {
    return rowsStillMatching(this.deliveries, PENDING, ids);
  }

  /**
   * Records one attempt of the delivery of `eventId` to `subscriber`: `delivered` and `gave-up`
   * settle it (`delivered`, `failed`); a delivered one stays delivered, whatever a late attempt says.
   */
  async recordAttempt(eventId: string, subscriber: string, outcome: DeliveryOutcome, detail: string): Promise<void> {
    const status = outcome === 'delivered' ? 'delivered' : outcome === 'gave-up' ? 'failed' : 'pending';
    await this.deliveries.query(
      `UPDATE event_deliveries
       SET attempts = attempts + 1, last_attempt = $4, status = $3,
           delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END
       WHERE event_id = $1 AND subscriber = $2 AND status <> 'delivered'`,
      [eventId, subscriber, status, detail],
    );
  }

  /** Puts a failed delivery back to pending, for a redrive; false when it was not failed. */
  async markPending(eventId: string, subscriber: string): Promise<boolean> {
    const result = await this.deliveries.update({ eventId, subscriber, status: 'failed' }, { status: 'pending' });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the events older than `days` days, with their deliveries; returns how many. */
  async deleteOlderThan(days: number): Promise<number> {
    // The driver answers a DELETE with its rows and their count.
    const [, count]: [unknown[], number] = await this.events.query(`DELETE FROM events WHERE time < now() - make_interval(days => $1)`, [days]);
    return count;
  }
}
