// The public API of the messaging library: what the apps, tools and benchmarks use. Everything
// else under lib/ is internal; the library's own tests reach it by path.

// Sending: a request, the job that delivers it, the retry policy, and the queue they go through.
export { HttpRequest } from './lib/http-request';
export { RequestJob } from './lib/request-job';
export { DontRetry } from './lib/retry/dont-retry';
export { ExponentialBackoff } from './lib/retry/exponential-backoff';
export type { RetryPolicy } from './lib/retry/retry-policy';
export { Messaging } from './lib/messaging';
export { OutboxSweeper } from './lib/outbox-sweeper';
export { MessagingModule } from './lib/messaging.module';
export { RequestWorker } from './lib/request-worker';
export type { RequestWorkerOptions } from './lib/request-worker';
export { DeliveryDestinations } from './lib/delivery-destinations';
export type { DeliveryAttempt, DeliveryListener } from './lib/delivery-attempt';
export { DeadLetters } from './lib/dead-letters';
export type { DeadLetter } from './lib/dead-letters';

// Authentication between services: X-Authentication, signed by senders, checked by receivers.
export { readMessagingSecurity, DEVELOPMENT_SECRET } from './lib/auth/messaging-security';
export type { MessagingSecurity } from './lib/auth/messaging-security';
export { RequestSigner } from './lib/auth/request-signer';
export { AUTHENTICATION_HEADER, authenticationHeader, verifyAuthentication } from './lib/auth/x-authentication';
export { ServiceAuthenticationModule } from './lib/auth/service-authentication.module';
export { SignedByPeers, verifyPeersBeforeParsing } from './lib/auth/signed-by-peers';
export { SignedByPeersOptionally, PeerSigned } from './lib/auth/signed-by-peers-optionally';
export { signedFetch } from './lib/auth/signed-fetch';

// Receiving: a message's identity is its URL, compared in canonical form.
export { canonicalMessageUrl } from './lib/message-url';
