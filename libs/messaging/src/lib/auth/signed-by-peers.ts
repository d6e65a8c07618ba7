import type { MessagingSecurity } from './messaging-security';
import { UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, RawBodyCheck, addRouteConfig, routeConfigOf } from '@onebip/platform';
import { AUTHENTICATION_EXPLANATIONS, ServiceAuthenticationGuard, verifiedBeforeParsing, verifyRequest } from './service-authentication.guard';

/** The Fastify route config flag of a signed route, read by the body parser. */
const SIGNED_BY_PEERS = 'signedByPeers';

/**
 * Marks a controller (every route of it) or one route as called only by peer services: each
 * request must carry a valid X-Authentication (401 otherwise). With the app created with
 * `beforeParsing: verifyPeersBeforeParsing(…)`, a request with a body is checked on its raw bytes
 * before the body is parsed; a request without one, by ServiceAuthenticationGuard.
 */
export function SignedByPeers(): ClassDecorator & MethodDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const mark = (on: object, name: string | symbol, method: PropertyDescriptor) => addRouteConfig({ [SIGNED_BY_PEERS]: true }, on, name, method);
    if (descriptor) {
      mark(target, key!, descriptor);
      UseGuards(ServiceAuthenticationGuard)(target, key!, descriptor);
      return;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = Object.getOwnPropertyDescriptor(prototype, name);
      if (name !== 'constructor' && typeof method?.value === 'function') mark(prototype, name, method);
    }
    UseGuards(ServiceAuthenticationGuard)(target as Function);
  };
}

/**
 * The body parser's check for routes marked `@SignedByPeers()`: X-Authentication verified on the
 * raw bytes, so that nobody without a shared secret gets a body parsed. Other routes pass.
 */
export function verifyPeersBeforeParsing(options: MessagingSecurity): RawBodyCheck {
  return (request: FastifyRequest, rawBody: Buffer) => {
    if (routeConfigOf(request)[SIGNED_BY_PEERS] !== true) return;
    const verification = verifyRequest(request, rawBody, options);
    if (!verification.ok) {
      throw new AppError('unauthenticated', 401, AUTHENTICATION_EXPLANATIONS[verification.reason], { reason: verification.reason });
    }
    verifiedBeforeParsing.add(request);
  };
}
