import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

/** A message URL's canonical form, or why it has none (the receiver answers 400 with it). */
export type CanonicalMessageUrl = { ok: true; canonical: string } | { ok: false; problem: string };

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** What a path may hold unencoded (RFC 3986 pchar and `/`), besides percent-encodings. */
const PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
/**
 * What a query may hold unencoded (pchar, `/` and `?`), but `'`: WHATWG clients send it as
 * `%27` in an http(s) query, so a raw one would be one message to them and two to RFC 3986.
 */
const QUERY_CHARACTERS = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?]$/;
const STRICT_IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The canonical form of a message URL: what a receiver compares to decide whether two requests
 * name the same message. RFC 3986's syntax-based and scheme-based normalization (6.2.2, 6.2.3):
 *
 * - scheme and host in lower case, an internationalized host in its ASCII (punycode) form, an
 *   IPv6 address in its RFC 5952 form;
 * - percent-encodings of unreserved characters decoded, every other one in upper-case hex, and a
 *   character beyond ASCII in a path or query percent-encoded as UTF-8 (RFC 3987's mapping);
 * - dot segments removed, an empty path as `/`, the default port (80, 443) and an empty one dropped.
 *
 * Nothing else is merged: path case, `%2F` and `/`, `+` and `%20`, the order of query parameters,
 * a trailing slash, an empty query all stay. A URL that a WHATWG parser would repair (a backslash,
 * a space or control character, an IPv4 address in another form such as `0x7f.1` or `127.1`) has
 * no canonical form, nor has one with a fragment (servers never see it) or with credentials.
 * docs/protocol.md gives the rule with test vectors.
 */
export function canonicalMessageUrl(input: string): CanonicalMessageUrl {
  if (typeof input !== 'string') return problem('must be a string');
  if ([...input].some((char) => char <= ' ' || char === '\u007f')) return problem('has a space or a control character, which a URL must percent-encode');
  if (input.includes('\\')) return problem('has a backslash, which is no URL separator');
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(input);
  if (!parts) return problem('is not an absolute URL with a host');
  const [, rawScheme, authority, rawPath, rawQuery, fragment] = parts;
  const scheme = rawScheme.toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) return problem('must be an http or https URL');
  if (fragment !== undefined) return problem('has a fragment (#…): servers never see it, so it cannot tell messages apart');
  if (authority.includes('@')) return problem('must not carry credentials (user:password@)');

  const hostAndPort = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/.exec(authority);
  if (!hostAndPort) return problem('has a malformed host or port');
  const host = canonicalHost(hostAndPort[1]);
  if (typeof host !== 'string') return host;
  const port = canonicalPort(hostAndPort[2], scheme);
  if (typeof port !== 'string') return port;

  const path = normalizeEncoding(rawPath, PATH_CHARACTERS);
  if (path === undefined) return problem('has a character in its path that a URL must percent-encode, or a malformed percent-encoding');
  const query = rawQuery === undefined ? '' : normalizeEncoding(rawQuery, QUERY_CHARACTERS);
  if (query === undefined) return problem('has a character in its query that a URL must percent-encode, or a malformed percent-encoding');
  return { ok: true, canonical: `${scheme}://${host}${port}${removeDotSegments(path) || '/'}${query}` };
}

function problem(text: string): CanonicalMessageUrl {
  return { ok: false, problem: text };
}

function canonicalHost(raw: string): string | CanonicalMessageUrl {
  if (raw.startsWith('[')) {
    const address = raw.slice(1, -1);
    // A zone id (fe80::1%eth0) names an interface of the sender's machine: no identity for others.
    if (address.includes('%') || !isIPv6(address)) return problem('has a malformed IPv6 address');
    try {
      return new URL(`http://[${address}]/`).host;
    } catch {
      return problem('has a malformed IPv6 address');
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return problem('has a malformed percent-encoding in its host');
  }
  if (decoded === '' || /[\s%/\\?#@[\]:<>^|]/.test(decoded)) return problem('has a malformed host');
  // A host whose last label is a number is an IPv4 address to a WHATWG parser, in whatever form
  // (0x7f.1, 127.1, 0177.0.0.1): only the dotted-decimal one is taken, never read into another.
  // ASCII letters only: IDNA maps the rest itself (JavaScript's lower case turns a final Σ into ς, IDNA into σ).
  const lower = decoded.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (endsInNumber(lower) && !STRICT_IPV4.test(lower)) return problem('has an IPv4 address in a form other than four decimal numbers');
  const ascii = domainToASCII(lower);
  if (ascii === '') return problem('has a host that is no valid domain name');
  // IDNA maps some characters (full-width digits, say) onto ASCII ones: a name that becomes an address is refused.
  if (endsInNumber(ascii) && ascii !== lower) return problem('has a host that reads as an IPv4 address only once mapped');
  return ascii;
}

function endsInNumber(host: string): boolean {
  const last = host.replace(/\.$/, '').split('.').pop() ?? '';
  return /^(\d+|0x[0-9a-f]*)$/.test(last);
}

function canonicalPort(raw: string | undefined, scheme: string): string | CanonicalMessageUrl {
  if (raw === undefined || raw === '') return '';
  const port = Number(raw);
  if (port > 65535) return problem('has a port beyond 65535');
  return String(port) === DEFAULT_PORTS[scheme] ? '' : `:${port}`;
}

/**
 * Decodes percent-encoded unreserved characters, upper-cases the hex of the others, and encodes
 * characters beyond ASCII as UTF-8; undefined when a character that `allowed` lacks appears raw,
 * or a `%` starts no percent-encoding.
 */
function normalizeEncoding(component: string, allowed: RegExp): string | undefined {
  let out = '';
  for (let i = 0; i < component.length;) {
    const char = component[i];
    if (char === '%') {
      const hex = component.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      const decoded = String.fromCharCode(parseInt(hex, 16));
      out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 3;
      continue;
    }
    const codePoint = component.codePointAt(i) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    if (codePoint > 0x7f) {
      const character = component.slice(i, i + width);
      if (character.isWellFormed?.() === false) return undefined;
      out += [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    } else if (allowed.test(char)) {
      out += char;
    } else {
      return undefined;
    }
    i += width;
  }
  return out;
}

/** RFC 3986 5.2.4: `.` and `..` segments resolved, as a browser or server would. */
function removeDotSegments(path: string): string {
  let input = path;
  const output: string[] = [];
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output.pop();
    } else if (input === '/..') {
      input = '/';
      output.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const segment = next === -1 ? input : input.slice(0, next);
      output.push(segment);
      input = input.slice(segment.length);
    }
  }
  return output.join('');
}
