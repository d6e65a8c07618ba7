import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. The APIs answer JSON, which a browser never runs;
 * the HTML pages (the demo console, the queue dashboard) load their scripts, styles and data from
 * their own origin only, with inline styles (the dashboard's React sets them) and no inline script.
 * Nothing else loads: no third-party fonts (the dashboard falls back to system fonts), no frames,
 * and no page may frame these ones (clickjacking an admin page).
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    manifestSrc: ["'self'"],
    // The dashboard sets <base href="/admin/queues/">: its own origin only.
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Helmet's headers on every response: nosniff, no Referer sent from these pages, framing refused
 * (X-Frame-Options and frame-ancestors), the policy above. Strict-Transport-Security is left to
 * the TLS terminator in front (docs/security.md): the services speak plain HTTP behind it.
 */
export async function installSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
