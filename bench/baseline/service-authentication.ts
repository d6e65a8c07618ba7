import { IncomingMessage } from 'node:http';
import { AUTHENTICATION_HEADER, verifyAuthentication } from '@onebip/messaging';
import { HttpProblem } from './http-kit';

/**
 * Lets a request through only with a valid X-Authentication header (docs/protocol.md), checked
 * with libs/messaging's own function over the raw body; 401 naming the reason otherwise.
 */
export function ensureAuthenticated(request: IncomingMessage, body: Buffer, secrets: readonly string[]): void {
  const header = request.headers[AUTHENTICATION_HEADER];
  const verification = verifyAuthentication(
    Array.isArray(header) ? header.join(',') : header,
    { method: request.method ?? '', path: request.url ?? '', body },
    secrets,
    {
      toleranceSeconds: 300,
    },
  );
  if (!verification.ok) throw new HttpProblem(401, 'unauthenticated', 'X-Authentication refused', { reason: verification.reason });
}
