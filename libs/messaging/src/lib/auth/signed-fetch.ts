import { AUTHENTICATION_HEADER, authenticationHeader } from './x-authentication';

/**
 * `fetch` with an X-Authentication header, for operator tools, scripts and tests that talk to a
 * service directly. Services themselves send through RequestJobs, which sign each attempt.
 */
export function signedFetch(
  url: string,
  secrets: readonly string[],
  init: { method?: string; body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const { pathname, search } = new URL(url);
  const header = authenticationHeader(secrets, Math.floor(Date.now() / 1000), { method, path: `${pathname}${search}`, body: init.body ?? '' });
  const headers = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers, [AUTHENTICATION_HEADER]: header };
  return fetch(url, { method, body: init.body, headers, signal: init.signal });
}
