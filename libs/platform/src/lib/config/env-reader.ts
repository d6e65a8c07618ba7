import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/**
 * Reads typed values out of environment variables and collects every problem,
 * so that one failed boot names all the variables at fault. Call `done()` last.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** A TCP port, 0 to 65535 (0 lets the system choose). */
  port(name: string, fallback: number): number {
    return this.integer(name, fallback, { min: 0, max: 65535 });
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      return this.problem(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`, fallback);
    }
    return value;
  }

  /** A number of seconds or milliseconds that may have a fraction, at most `max` when given. */
  positiveNumber(name: string, fallback: number, { max = Number.MAX_VALUE }: { max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > max) {
      const range = max === Number.MAX_VALUE ? 'a positive number' : `a positive number up to ${max}`;
      return this.problem(`${name} must be ${range}, got ${JSON.stringify(raw)}`, fallback);
    }
    return value;
  }

  /** A number from 0 to 1, such as a rate. */
  fraction(name: string, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      return this.problem(`${name} must be a number from 0 to 1, got ${JSON.stringify(raw)}`, fallback);
    }
    return value;
  }

  /** A comma-separated list, trimmed, without empty items; empty when unset. */
  list(name: string): string[] {
    return (this.raw(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** An absolute URL with one of `protocols` (such as 'postgres:'); trailing slashes are removed. */
  url(name: string, protocols: string[], fallback?: string): string {
    const raw = this.raw(name) ?? fallback;
    if (raw === undefined) return this.problem(`${name} is required (a ${protocols.join(' or ')} URL)`, '');
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        return this.problem(`${name} must be a ${protocols.join(' or ')} URL, got ${JSON.stringify(redact(raw))}`, raw);
      }
    } catch {
      return this.problem(`${name} must be an absolute URL, got ${JSON.stringify(redact(raw))}`, raw);
    }
    return raw.replace(/\/+$/, '');
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return this.problem(`${name} must be true or false, got ${JSON.stringify(raw)}`, fallback);
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!(choices as readonly string[]).includes(raw)) {
      return this.problem(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`, fallback);
    }
    return raw as T;
  }

  /** A name made of letters, digits, dashes and underscores (queue names, key prefixes). */
  name(name: string, fallback: string): string {
    const raw = this.raw(name) ?? fallback;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) {
      return this.problem(`${name} must be 1 to 64 letters, digits, dashes or underscores, got ${JSON.stringify(raw)}`, fallback);
    }
    return raw;
  }

  /**
   * A comma-separated list of secrets, each at least 16 characters. Required when `required`;
   * otherwise `developmentDefault` stands in, with a warning, so a laptop needs no setup.
   */
  secrets(name: string, { required, developmentDefault }: { required: boolean; developmentDefault: string }): string[] {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (required) return this.problem(`${name} is required in production (comma-separated shared secrets)`, []);
      this.warnings.push(`${name} is not set: using an insecure development secret`);
      return [developmentDefault];
    }
    const secrets = raw.split(',').map((secret) => secret.trim());
    if (secrets.some((secret) => secret.length < 16)) {
      return this.problem(`${name} must be a comma-separated list of secrets of at least 16 characters each`, []);
    }
    return secrets;
  }

  /** Free text, such as a user name; undefined when unset. */
  text(name: string): string | undefined {
    return this.raw(name);
  }

  /** Records a problem that involves several variables at once. */
  reject(message: string): void {
    this.problems.push(message);
  }

  /** What the configuration is allowed but not wise to be (logged by the app at boot). */
  readonly warnings: string[] = [];

  /** Throws a ConfigError naming every problem found, or returns `config`. */
  done<T>(config: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    for (const warning of this.warnings) console.warn(`configuration warning: ${warning}`);
    return config;
  }

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  private problem<T>(message: string, placeholder: T): T {
    this.problems.push(message);
    return placeholder;
  }
}

/** Hides the password of a URL, so configuration errors never print a credential. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
