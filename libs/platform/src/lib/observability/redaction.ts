/**
 * What a log line may show of personal data and of URLs. Every URL and phone number that goes
 * into a log line goes through here: logs travel further than the database (to aggregators,
 * support tickets, laptops), so they carry what an operator needs to follow a message and no
 * more.
 */

/**
 * A URL as logs show it: its origin and path, without `user:password@`, query string or
 * fragment, which may carry credentials and tokens.
 */
export function loggableUrl(url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return origin === 'null' ? '(opaque URL)' : `${origin}${pathname}`;
  } catch {
    return '(malformed URL)';
  }
}

const URLS_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** `text` with each URL in it replaced by its loggableUrl (job identities, error messages). */
export function redactUrls(text: string): string {
  return text.replace(URLS_IN_TEXT, (url) => loggableUrl(url));
}

/** A phone number with every digit but the last three hidden: `+*********567`. */
export function maskPhoneNumber(phoneNumber: string): string {
  const digits = phoneNumber.replace(/\D/g, '');
  const shown = digits.slice(-3);
  return `${phoneNumber.startsWith('+') ? '+' : ''}${'*'.repeat(Math.max(0, digits.length - shown.length))}${shown}`;
}
