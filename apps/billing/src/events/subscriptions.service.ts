import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppError, loggableUrl } from '@onebip/platform';
import { SUBSCRIBER_NAME } from '../config/billing-config';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { EventQueues } from './event-queues';
import { billingHosts, subscriberUrlProblem } from '../config/subscriber-hosts';
import { EVENT_TYPES } from './event-types';
import { EventsService } from './events.service';
import type { PutSubscriptionDto } from './put-subscription.dto';
import { Subscription } from './subscription.entity';
import { SubscriptionTerms, SubscriptionsRepository } from './subscriptions.repository';

/** What a PUT came to: a new subscription (with its secret, shown this once), or one that existed. */
export type Subscribing = { created: true; subscription: Subscription; secret: string } | { created: false; subscription: Subscription };

/**
 * The services subscribed to billing's events. A subscription's URL must be on a host of
 * EVENT_SUBSCRIBER_HOSTS, and never billing's own: billing's worker signs what it POSTs there,
 * and a subscription is the one way a peer can make it POST somewhere. Each subscription gets a
 * secret of its own, so a subscriber never holds MESSAGING_SECRETS.
 */
@Injectable()
export class SubscriptionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly events: EventsService,
    private readonly queues: EventQueues,
  ) {}

  /**
   * Makes or updates the subscriptions EVENT_SUBSCRIPTIONS declares (readBillingConfig checked
   * their names, URLs and secrets); a declared type billing does not publish stops the boot.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const declared of this.config.events.declared) {
      const unknown = (declared.types ?? []).filter((type) => !EVENT_TYPES.includes(type));
      if (unknown.length > 0)
        throw new Error(
          `EVENT_SUBSCRIPTIONS: subscription ${declared.subscriber}: billing publishes no ${unknown.join(', ')} (it publishes ${EVENT_TYPES.join(', ')})`,
        );
      await this.subscriptions.declare(
        declared.subscriber,
        { url: declared.url, types: declared.types && [...new Set(declared.types)].sort(), since: null },
        declared.secret,
        this.config.events.secretOverlapSeconds,
      );
    }
    if (this.config.events.declared.length > 0) this.logger.log(`declared ${this.config.events.declared.length} subscription(s) from EVENT_SUBSCRIPTIONS`);
  }

  /**
   * `PUT /subscriptions/:subscriber`: a new subscription answers with its secret; the same terms
   * again change nothing; other terms update it (its secret stays). With `since`, every stored event
   * from then on is delivered too.
   */
  async put(subscriber: string, body: PutSubscriptionDto): Promise<Subscribing> {
    const existing = SUBSCRIBER_NAME.test(subscriber) ? await this.subscriptions.find(subscriber) : null;
    const terms = this.termsOf(subscriber, body, existing);
    if (!existing) {
      const secret = newSecret();
      // The subscription and its backfill in one statement: a PUT that fails stores neither, so
      // no subscription exists whose one-time secret nobody got.
      const created = await this.subscriptions.insert(subscriber, terms, secret);
      if (created) {
        this.logger.log(`subscription ${subscriber} made: ${loggableUrl(terms.url)}, ${terms.types?.join(', ') ?? 'every type'}`);
        if (created.backfilled > 0) {
          this.logger.log(`subscription ${subscriber}: ${created.backfilled} stored event(s) since ${terms.since?.toISOString()} to deliver`);
          this.events.dispatchPendingTo(subscriber);
        }
        return { created: true, subscription: created.subscription, secret };
      }
      // Another PUT of the same name got there first: this one is an update of it.
    }
    const current = existing ?? (await this.subscriptions.find(subscriber));
    if (!current) throw new AppError('subscription_conflict', 409, `subscription ${subscriber} changed meanwhile; send the PUT again`);
    if (sameTerms(current, terms)) return { created: false, subscription: current };
    const updated = (await this.subscriptions.update(subscriber, terms)) as Subscription;
    this.logger.log(`subscription ${subscriber} updated: ${loggableUrl(terms.url)}, ${terms.types?.join(', ') ?? 'every type'}`);
    if (updated.url !== current.url) {
      // Jobs queued before name the old URL: they are dropped, and every pending delivery queued
      // again to the new one. A job that escapes (a sweep of a worker process racing this) is
      // replaced by the next sweep (UndeliveredEventSweeper).
      await this.queues.drop(subscriber).catch((error: Error) => this.logger.warn(`emptying the queue of ${subscriber}: ${error.message}`));
      this.events.dispatchPendingTo(subscriber);
    }
    if (updated.since && updated.since.getTime() !== current.since?.getTime()) await this.backfill(updated);
    return { created: false, subscription: updated };
  }

  list(): Promise<Subscription[]> {
    return this.subscriptions.list();
  }

  /** `DELETE /subscriptions/:subscriber`: ends it; its deliveries, those not yet made too, are dropped. */
  async delete(subscriber: string): Promise<void> {
    if (!SUBSCRIBER_NAME.test(subscriber) || !(await this.subscriptions.delete(subscriber))) throw AppError.notFound(`subscription ${subscriber}`);
    this.logger.log(`subscription ${subscriber} ended`);
    // The subscription is gone from the database, which decides; emptying its queue is tidying up.
    await this.queues.drop(subscriber).catch((error: Error) => this.logger.warn(`emptying the queue of ${subscriber}: ${error.message}`));
  }

  /** A new secret for the subscription, shown this once; the one before still signs for EVENT_SECRET_OVERLAP_S. */
  async rotateSecret(subscriber: string): Promise<{ subscription: Subscription; secret: string }> {
    if (!SUBSCRIBER_NAME.test(subscriber)) throw AppError.notFound(`subscription ${subscriber}`);
    const secret = newSecret();
    const subscription = await this.subscriptions.rotateSecret(subscriber, secret, this.config.events.secretOverlapSeconds);
    if (!subscription) throw AppError.notFound(`subscription ${subscriber}`);
    this.logger.log(`subscription ${subscriber}: secret rotated, the previous one valid ${this.config.events.secretOverlapSeconds} s more`);
    return { subscription, secret };
  }

  /** The secrets a delivery to `subscription` is signed with now: its own, and the one before while it overlaps. */
  static secretsOf(subscription: Subscription, now = new Date()): string[] {
    const { secret, previousSecret, previousSecretUntil } = subscription;
    return previousSecret && previousSecretUntil && previousSecretUntil > now ? [secret, previousSecret] : [secret];
  }

  /** Whether billing's worker may deliver to `url` today (EVENT_SUBSCRIBER_HOSTS may have changed since the subscription). */
  allows(url: string): boolean {
    return this.urlProblem(url) === undefined;
  }

  /**
   * The terms a PUT asks for, checked. `since` is held to the retention window only when it changes:
   * a subscriber that sends its same PUT at every boot keeps getting 200.
   */
  private termsOf(subscriber: string, body: PutSubscriptionDto, existing: Subscription | null): SubscriptionTerms {
    const problems: Record<string, string[]> = {};
    if (!SUBSCRIBER_NAME.test(subscriber))
      problems.subscriber = ['subscriber must be 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit'];
    const urlProblem = this.urlProblem(body.url);
    if (urlProblem) problems.url = [urlProblem];
    let since: Date | null = null;
    if (body.since !== undefined) {
      since = new Date(body.since);
      const earliest = new Date(Date.now() - this.config.events.retentionDays * 86_400_000);
      if (Number.isNaN(since.getTime()) || since.getTime() > Date.now() + 86_400_000) {
        problems.since = ['since must be an RFC 3339 time such as 2026-12-07T10:00:00Z, not in the future'];
      } else if (since < earliest && since.getTime() !== existing?.since?.getTime()) {
        problems.since = [
          `since must not be earlier than ${earliest.toISOString()}: events are kept ${this.config.events.retentionDays} days (EVENT_RETENTION_DAYS)`,
        ];
      }
    }
    if (Object.keys(problems).length > 0) throw AppError.invalid(problems);
    // Stored as the URL parser writes it (lower-case host, no default port), so one URL is one set of terms.
    return { url: new URL(body.url).href, types: body.types ? [...new Set(body.types)].sort() : null, since };
  }

  private urlProblem(url: string): string | undefined {
    const { publicUrl, host, port, events } = this.config;
    return subscriberUrlProblem(url, { allowed: events.subscriberHosts, billing: billingHosts(publicUrl, host, port) });
  }

  private async backfill(subscription: Subscription): Promise<void> {
    if (!subscription.since) return;
    const made = await this.events.backfill(subscription.subscriber, subscription.since, subscription.types);
    this.logger.log(`subscription ${subscription.subscriber}: ${made} stored event(s) since ${subscription.since.toISOString()} to deliver`);
    if (made > 0) this.events.dispatchPendingTo(subscription.subscriber);
  }
}

/** 32 random bytes, base64url: 43 characters. */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameTerms(subscription: Subscription, terms: SubscriptionTerms): boolean {
  return (
    subscription.url === terms.url &&
    JSON.stringify(subscription.types) === JSON.stringify(terms.types) &&
    (subscription.since?.getTime() ?? null) === (terms.since?.getTime() ?? null)
  );
}
