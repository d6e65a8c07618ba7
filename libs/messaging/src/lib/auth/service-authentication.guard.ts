import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { AUTHENTICATION_HEADER, AuthenticationFailure, verifyAuthentication } from './x-authentication';

/** The secrets and clock tolerance a receiving service checks X-Authentication with. */
export interface ServiceAuthenticationOptions {
  secrets: readonly string[];
  clockToleranceSeconds: number;
}

/** Injection token of the ServiceAuthenticationOptions. */
export const SERVICE_AUTHENTICATION = Symbol('SERVICE_AUTHENTICATION');

const EXPLANATIONS: Record<AuthenticationFailure, string> = {
  missing_header: 'the X-Authentication header is missing',
  malformed_header: 'the X-Authentication header is not t=<unix seconds>,v1=<hex HMAC-SHA256>',
  timestamp_out_of_tolerance: 'the X-Authentication timestamp is too far from this server’s clock',
  signature_mismatch: 'no X-Authentication signature matches this request with a secret this service holds',
};

/**
 * Lets a request through only when its X-Authentication header proves it comes from a service
 * holding a shared secret (docs/protocol.md). Otherwise: 401, saying which check failed. Needs
 * the app created with `rawBody: true`: the signature covers the body bytes as sent.
 */
@Injectable()
export class ServiceAuthenticationGuard implements CanActivate {
  private readonly logger = new Logger('ServiceAuthentication');

  constructor(@Inject(SERVICE_AUTHENTICATION) private readonly options: ServiceAuthenticationOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{
      method: string;
      url: string;
      headers: Record<string, string | string[] | undefined>;
      rawBody?: Buffer;
    }>();
    const header = request.headers[AUTHENTICATION_HEADER];
    const verification = verifyAuthentication(
      Array.isArray(header) ? header.join(',') : header,
      { method: request.method, path: request.url, body: request.rawBody ?? Buffer.alloc(0) },
      this.options.secrets,
      { toleranceSeconds: this.options.clockToleranceSeconds },
    );
    if (verification.ok) return true;
    this.logger.warn(`refused ${request.method} ${request.url.split('?')[0]}: ${verification.reason}`);
    throw new UnauthorizedException({ code: 'unauthenticated', reason: verification.reason, message: EXPLANATIONS[verification.reason] });
  }
}
