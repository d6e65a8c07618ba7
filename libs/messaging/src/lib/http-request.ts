/** HTTP methods a RequestJob may use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The serializable form of an HttpRequest, stored with its job. */
export interface HttpRequestSpec {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  expectedStatuses: number[];
  timeoutMs: number;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Default time a delivery attempt may take before it counts as failed. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * An HTTP request described as a value, to be performed later by a worker:
 * `HttpRequest.to(url, 'POST').withJson(body).ensureIs(202, 409)`.
 * Each builder method returns a new request; an instance never changes.
 */
export class HttpRequest {
  private constructor(private readonly spec: Readonly<HttpRequestSpec>) {}

  /** A request to an absolute http(s) URL; by default it succeeds on 200 and times out after 10 s. */
  static to(url: string, method: HttpMethod = 'GET'): HttpRequest {
    return HttpRequest.fromJSON({ method, url, headers: {}, expectedStatuses: [200], timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS });
  }

  /** Rebuilds a request from its stored form, checking it as `to()` does. */
  static fromJSON(spec: HttpRequestSpec): HttpRequest {
    if (!METHODS.includes(spec.method)) {
      throw new TypeError(`unsupported HTTP method ${JSON.stringify(spec.method)}`);
    }
    let parsed: URL;
    try {
      parsed = new URL(spec.url);
    } catch {
      throw new TypeError(`not an absolute URL: ${JSON.stringify(spec.url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`only http and https URLs can be requested, got ${JSON.stringify(spec.url)}`);
    }
    return new HttpRequest({ ...spec, headers: { ...spec.headers }, expectedStatuses: [...spec.expectedStatuses] });
  }

  /** The same request with a JSON body and its content type. */
  withJson(body: unknown): HttpRequest {
    return this.with({ body: JSON.stringify(body), headers: { ...this.spec.headers, 'content-type': 'application/json' } });
  }

  /** The same request with one more header (names are case-insensitive, kept lower case). */
  withHeader(name: string, value: string): HttpRequest {
    return this.with({ headers: { ...this.spec.headers, [name.toLowerCase()]: value } });
  }

  /** The statuses that mean the request is done; any other answer is a failed attempt. */
  ensureIs(...statuses: number[]): HttpRequest {
    if (statuses.length === 0 || statuses.some((status) => !Number.isInteger(status) || status < 100 || status > 599)) {
      throw new RangeError(`ensureIs needs HTTP statuses, got ${JSON.stringify(statuses)}`);
    }
    return this.with({ expectedStatuses: statuses });
  }

  /** How long one attempt may take, in milliseconds, before it counts as failed. */
  timingOutAfter(ms: number): HttpRequest {
    if (!Number.isFinite(ms) || ms <= 0) {
      throw new RangeError(`a request timeout must be a positive number of milliseconds, got ${ms}`);
    }
    return this.with({ timeoutMs: ms });
  }

  get method(): HttpMethod {
    return this.spec.method;
  }

  get url(): string {
    return this.spec.url;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.spec.headers;
  }

  get body(): string | undefined {
    return this.spec.body;
  }

  get expectedStatuses(): readonly number[] {
    return this.spec.expectedStatuses;
  }

  get timeoutMs(): number {
    return this.spec.timeoutMs;
  }

  /** Whether `status` is one of the answers that mean done. */
  isDoneBy(status: number): boolean {
    return this.spec.expectedStatuses.includes(status);
  }

  toJSON(): HttpRequestSpec {
    return { ...this.spec, headers: { ...this.spec.headers }, expectedStatuses: [...this.spec.expectedStatuses] };
  }

  private with(changes: Partial<HttpRequestSpec>): HttpRequest {
    return new HttpRequest({ ...this.spec, ...changes });
  }
}
