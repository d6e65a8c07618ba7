/** Where billing's worker may deliver events: the allow-list and billing's own addresses. */
export interface SubscriberHosts {
  /** EVENT_SUBSCRIBER_HOSTS: host:port pairs, lower case. */
  allowed: readonly string[];
  /** billing's own hosts (its public URL's, its listening address'): never a subscriber. */
  billing: readonly string[];
}

/**
 * Why billing will not deliver events to `url`, or undefined when it will. A subscription is the
 * one way a peer can make billing's worker POST somewhere, signed: only to http(s) URLs on a host of
 * EVENT_SUBSCRIBER_HOSTS (host:port, as CALLBACK_ALLOWED_HOSTS at connectivity), never to billing
 * itself, and with no credentials in the URL, which would end up in logs and dashboards.
 */
export function subscriberUrlProblem(url: string, hosts: SubscriberHosts): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return 'url must be an absolute http(s) URL';
  if (target.username || target.password) return 'url must not carry credentials: deliveries are signed with the subscription secret';
  if (hosts.billing.includes(target.host)) return 'url must not be billing itself';
  if (!hosts.allowed.includes(target.host)) {
    return hosts.allowed.length === 0
      ? 'no subscriber host is allowed: billing delivers events only to the hosts of EVENT_SUBSCRIBER_HOSTS'
      : `url host ${target.host} is not allowed (allowed: ${hosts.allowed.join(', ')})`;
  }
  return undefined;
}

/** billing's own hosts, from its public URL and where it listens. */
export function billingHosts(publicUrl: string, host: string, port: number): string[] {
  return [new URL(publicUrl).host, `${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
}
