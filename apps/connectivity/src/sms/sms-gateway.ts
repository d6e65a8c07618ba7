import { HttpRequest } from '@onebip/messaging';

/** One SMS to hand to a carrier. */
export interface Sms {
  /** The message's identity at its sender, which the carrier keeps as its reference. */
  reference: string;
  phoneNumber: string;
  text: string;
}

/**
 * The port to a carrier. Carriers are HTTP APIs, so an adapter says how to ask one to send an SMS,
 * and connectivity's job queue does the asking, with its retries: a 5xx or no answer is retried,
 * another 4xx is final. A real provider is another adapter (docs/architecture.md).
 */
export interface SmsGateway {
  submissionFor(sms: Sms): HttpRequest;
}

/** Injection token of the SmsGateway adapter in use. */
export const SMS_GATEWAY = Symbol('SMS_GATEWAY');
