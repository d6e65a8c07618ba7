import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries a request's signed timestamp between services. */
export const AUTHENTICATION_HEADER = 'x-authentication';

/** What a signature covers: the request as sent. `path` includes the query string. */
export interface SignedPart {
  method: string;
  path: string;
  body: Buffer | string;
}

/** The HMAC-SHA256, in lower-case hex, of `"<t>.<METHOD>.<path>.<body>"` under `secret`. */
export function signatureOf(secret: string, timestamp: number, part: SignedPart): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.${part.method.toUpperCase()}.${part.path}.`)
    .update(typeof part.body === 'string' ? Buffer.from(part.body, 'utf8') : part.body)
    .digest('hex');
}

/**
 * `t=<unix seconds>,v1=<signature>[,v1=<signature>…]`: one signature per secret, so that a
 * receiver holding any one of them accepts the request (docs/protocol.md).
 */
export function authenticationHeader(secrets: readonly string[], timestamp: number, part: SignedPart): string {
  if (secrets.length === 0) throw new Error('no secret to sign with');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, part)}`)].join(',');
}

/** Why a request's authentication was refused. */
export type AuthenticationFailure = 'missing_header' | 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

export type Verification = { ok: true } | { ok: false; reason: AuthenticationFailure };

/**
 * The grammar of docs/protocol.md, exactly: `t=` and the unix seconds in decimal without leading
 * zeros, then one or more `,v1=` and 64 lowercase hex digits; no whitespace anywhere. Anything
 * else is malformed, rather than normalised into something a signer did not sign.
 */
const HEADER_FORMAT = /^t=(0|[1-9]\d{0,11})(,v1=[0-9a-f]{64})+$/;

/**
 * Checks a request's X-Authentication header: well formed, a timestamp within
 * `toleranceSeconds` of `now`, and at least one `v1` matching one of `secrets`,
 * compared in constant time.
 */
export function verifyAuthentication(
  header: string | undefined,
  part: SignedPart,
  secrets: readonly string[],
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): Verification {
  if (header === undefined || header === '') return { ok: false, reason: 'missing_header' };
  if (!HEADER_FORMAT.test(header)) return { ok: false, reason: 'malformed_header' };
  const [timestampPart, ...signatureParts] = header.split(',');
  const timestamp = Number(timestampPart.slice(2));
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const offered = signatureParts.map((part) => Buffer.from(part.slice(3), 'hex'));
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(signatureOf(secret, timestamp, part), 'hex');
    return offered.some((signature) => timingSafeEqual(signature, expected));
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}
