/** The CloudEvents types billing publishes (docs/architecture.md, "Events"). */
export const PAYMENT_CREATED = 'com.onebip.billing.payment.created';

/** Every type a subscription may name; a subscription without `types` gets them all. */
export const EVENT_TYPES: readonly string[] = [PAYMENT_CREATED];
