import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, UseGuards, createParamDecorator } from '@nestjs/common';
import { AUTHENTICATION_HEADER } from './x-authentication';
import { AUTHENTICATION_EXPLANATIONS, SERVICE_AUTHENTICATION, verifiedBeforeParsing, verifyRequest } from './service-authentication.guard';
import type { MessagingSecurity } from './messaging-security';

/** Requests a peer signed, on routes that anyone may call. */
const signedRequests = new WeakSet<object>();

/**
 * Lets an unsigned request through and checks a signed one: X-Authentication present means it
 * must be valid (401 otherwise, as on @SignedByPeers routes); absent means an anonymous caller.
 */
@Injectable()
export class OptionalServiceAuthenticationGuard implements CanActivate {
  constructor(@Inject(SERVICE_AUTHENTICATION) private readonly options: MessagingSecurity) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ method: string; url: string; headers: Record<string, string | string[] | undefined>; rawBody?: Buffer }>();
    if (request.headers[AUTHENTICATION_HEADER] === undefined) return true;
    const verification = verifiedBeforeParsing.has(request)
      ? ({ ok: true } as const)
      : verifyRequest(request, request.rawBody ?? Buffer.alloc(0), this.options);
    if (!verification.ok) {
      throw new UnauthorizedException({ code: 'unauthenticated', reason: verification.reason, message: AUTHENTICATION_EXPLANATIONS[verification.reason] });
    }
    signedRequests.add(request);
    return true;
  }
}

/**
 * Marks a route that anyone may call and that peers see more of: the handler asks with
 * `@PeerSigned() signed: boolean` (a public read that shows whole phone numbers only to peers).
 */
export function SignedByPeersOptionally(): MethodDecorator {
  return UseGuards(OptionalServiceAuthenticationGuard);
}

/** On a @SignedByPeersOptionally() route: whether a peer signed this request. */
export const PeerSigned = createParamDecorator((_data: unknown, context: ExecutionContext): boolean => signedRequests.has(context.switchToHttp().getRequest()));
