/** What a destination is to a worker: a peer service (signed) or an external one (unsigned). */
export type DestinationKind = 'peer' | 'external';

interface Rule {
  kind: DestinationKind;
  describe: string;
  matches(url: URL): boolean;
}

/**
 * Where a worker may send its jobs' requests. A job in Redis is data that whoever can write to
 * the queue controls, so a worker never takes a destination on trust: a request to a peer
 * service is signed with X-Authentication, one to an external service (an SMS carrier) goes
 * unsigned, and any other destination is refused: the job fails for good and nothing is sent.
 * Immutable: each method returns a new set.
 */
export class DeliveryDestinations {
  private constructor(private readonly rules: readonly Rule[]) {}

  /** Nowhere: the start of every set. */
  static none(): DeliveryDestinations {
    return new DeliveryDestinations([]);
  }

  /** The peer service at `url`'s origin (scheme, host and port), signed. */
  peerAt(url: string): DeliveryDestinations {
    const { origin } = new URL(url);
    return this.with({ kind: 'peer', describe: `peer ${origin}`, matches: (target) => target.origin === origin });
  }

  /** Peer services on these `host:port` pairs, over http or https, signed. */
  peerHosts(hosts: readonly string[]): DeliveryDestinations {
    const allowed = new Set(hosts.map((host) => host.toLowerCase()));
    return this.with({
      kind: 'peer',
      describe: `peers on ${[...allowed].join(', ') || 'no host'}`,
      matches: (target) => isHttp(target) && allowed.has(target.host),
    });
  }

  /**
   * Any http(s) host, signed: only for development, where the receiving API has already checked
   * each destination against the request that asked for it.
   */
  anyPeerHost(): DeliveryDestinations {
    return this.with({ kind: 'peer', describe: 'any http(s) peer (development)', matches: isHttp });
  }

  /** The external service at `url`'s origin, never signed: it holds none of the shared secrets. */
  externalAt(url: string): DeliveryDestinations {
    const { origin } = new URL(url);
    return this.with({ kind: 'external', describe: `external ${origin}`, matches: (target) => target.origin === origin });
  }

  /** What `url` is to the worker, by the first rule it matches; undefined: it may not be sent to. */
  classify(url: string): DestinationKind | undefined {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return undefined;
    }
    // Credentials in a destination are never ours to send.
    if (target.username !== '' || target.password !== '') return undefined;
    return this.rules.find((rule) => rule.matches(target))?.kind;
  }

  toString(): string {
    return this.rules.map((rule) => rule.describe).join('; ') || 'nowhere';
  }

  private with(rule: Rule): DeliveryDestinations {
    return new DeliveryDestinations([...this.rules, rule]);
  }
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}
