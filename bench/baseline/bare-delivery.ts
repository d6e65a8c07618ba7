import { createHash } from 'node:crypto';

/** The bare delivery pipeline's queue. */
export const BARE_DELIVERY_QUEUE = 'bare-deliveries';

/** What a bare delivery job carries: a JSON body to POST, signed, until one of `expected` answers. */
export interface BareDelivery {
  /** The message URL, or `sms <url>`, `report <url>`: what the job is about. */
  identity: string;
  url: string;
  body: string;
  expected: number[];
}

/**
 * The same options libs/messaging gives a RequestJob whose policy is
 * ExponentialBackoff.atFirstWaiting(5).upTo(3600): ten attempts, the same retention.
 */
const JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** A BullMQ job for `delivery`, its id a digest of its identity as RequestJob's: queuing it twice adds it once. */
export function bareJob(delivery: BareDelivery) {
  const jobId = `rj-${createHash('sha256').update(delivery.identity).digest('base64url')}`;
  return { name: delivery.identity.slice(0, 200), data: delivery, opts: { ...JOB_OPTIONS, jobId } };
}
