import { HttpRequest } from '../http-request';
import { AUTHENTICATION_HEADER, authenticationHeader } from './x-authentication';

/**
 * Signs outgoing requests with every secret this service holds. A RequestWorker signs each
 * attempt anew, so a retry an hour later carries a fresh timestamp.
 */
export class RequestSigner {
  constructor(
    private readonly secrets: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    if (secrets.length === 0) throw new Error('a RequestSigner needs at least one secret');
  }

  /** The same request with an X-Authentication header for this moment. */
  sign(request: HttpRequest): HttpRequest {
    const url = new URL(request.url);
    const header = authenticationHeader(this.secrets, Math.floor(this.now() / 1000), {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      body: request.body ?? '',
    });
    return request.withHeader(AUTHENTICATION_HEADER, header);
  }
}
