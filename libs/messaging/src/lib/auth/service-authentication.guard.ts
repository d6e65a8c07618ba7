import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { MessagingSecurity } from './messaging-security';
import { AUTHENTICATION_HEADER, AuthenticationFailure, Verification, verifyAuthentication } from './x-authentication';

/** Injection token of the MessagingSecurity a receiving service checks X-Authentication with. */
export const SERVICE_AUTHENTICATION = Symbol('SERVICE_AUTHENTICATION');

/** What each refusal tells the caller. */
export const AUTHENTICATION_EXPLANATIONS: Record<AuthenticationFailure, string> = {
  missing_header: 'the X-Authentication header is missing',
  malformed_header: 'the X-Authentication header is not t=<unix seconds>,v1=<hex HMAC-SHA256>',
  timestamp_out_of_tolerance: 'the X-Authentication timestamp is too far from this server’s clock',
  signature_mismatch: 'no X-Authentication signature matches this request with a secret this service holds',
};

interface IncomingRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
}

const logger = new Logger('ServiceAuthentication');

/** Requests whose X-Authentication was verified on their raw body, before it was parsed. */
export const verifiedBeforeParsing = new WeakSet<object>();

/** Checks `request`'s X-Authentication over its method, path and `body` bytes; logs a refusal. */
export function verifyRequest(request: IncomingRequest, body: Buffer, options: MessagingSecurity): Verification {
  const header = request.headers[AUTHENTICATION_HEADER];
  const verification = verifyAuthentication(
    // Two X-Authentication headers arrive joined, and are then malformed: a request has one.
    Array.isArray(header) ? header.join(', ') : header,
    { method: request.method, path: request.url, body },
    options.secrets,
    { toleranceSeconds: options.clockToleranceSeconds },
  );
  if (!verification.ok) logger.warn(`refused ${request.method} ${request.url.split('?')[0]}: ${verification.reason}`);
  return verification;
}

/**
 * Lets a request through only when its X-Authentication header proves it comes from a service
 * holding a shared secret (docs/protocol.md). Otherwise: 401, saying which check failed. Needs
 * the app created with `rawBody: true`: the signature covers the body bytes as sent. A request
 * already verified on its raw body before parsing (verifyPeersBeforeParsing) is not checked twice.
 */
@Injectable()
export class ServiceAuthenticationGuard implements CanActivate {
  constructor(@Inject(SERVICE_AUTHENTICATION) private readonly options: MessagingSecurity) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingRequest>();
    if (verifiedBeforeParsing.has(request)) return true;
    const verification = verifyRequest(request, request.rawBody ?? Buffer.alloc(0), this.options);
    if (verification.ok) return true;
    throw new UnauthorizedException({ code: 'unauthenticated', reason: verification.reason, message: AUTHENTICATION_EXPLANATIONS[verification.reason] });
  }
}
