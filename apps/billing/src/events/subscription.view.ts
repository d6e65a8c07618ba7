import type { Subscription } from './subscription.entity';

/** A subscription as the API shows it: never its secrets. */
export function subscriptionView(subscription: Subscription) {
  return {
    subscriber: subscription.subscriber,
    url: subscription.url,
    types: subscription.types,
    since: subscription.since?.toISOString() ?? null,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
    /** Until when the secret before the last rotation still signs, if it does. */
    previousSecretValidUntil:
      subscription.previousSecretUntil && subscription.previousSecretUntil > new Date() ? subscription.previousSecretUntil.toISOString() : null,
  };
}
