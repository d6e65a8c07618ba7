import { Client } from 'pg';

/**
 * The bench's own PostgreSQL databases, dropped and created again for every measurement. Only
 * names that contain `bench` are touched: a typo cannot reach anyone's data.
 */
export class BenchDatabases {
  private readonly used = new Set<string>();
  /** One connection per database the bench reads, kept open: polling must not fork a backend each time. */
  private readonly readers = new Map<string, Promise<Client>>();

  constructor(private readonly serverUrl: string) {}

  /** The URL of database `name` on the bench's server. */
  url(name: string): string {
    const url = new URL(this.serverUrl);
    url.pathname = `/${guarded(name)}`;
    return url.toString();
  }

  /** Drops `name` if it exists and creates it empty; returns its URL. */
  async recreate(name: string): Promise<string> {
    await this.drop(name);
    await this.maintenance((client) => client.query(`CREATE DATABASE "${guarded(name)}"`));
    return this.url(name);
  }

  /** Drops `name` only (the apps create their database at boot when it is missing); returns its URL. */
  async drop(name: string): Promise<string> {
    await this.disconnect(name);
    await this.maintenance((client) => client.query(`DROP DATABASE IF EXISTS "${guarded(name)}" WITH (FORCE)`));
    this.used.add(name);
    return this.url(name);
  }

  /** Drops every database this run used. */
  async dropAll(): Promise<void> {
    for (const name of this.used) await this.drop(name);
    this.used.clear();
  }

  /** Runs `sql` against database `name` and returns its rows. */
  async query<T = Record<string, unknown>>(name: string, sql: string, values: unknown[] = []): Promise<T[]> {
    let reader = this.readers.get(name);
    if (!reader) {
      const client = new Client({ connectionString: this.url(name) });
      client.on('error', () => this.readers.delete(name));
      reader = client.connect().then(() => client);
      this.readers.set(name, reader);
    }
    return (await (await reader).query(sql, values)).rows as T[];
  }

  private async disconnect(name: string): Promise<void> {
    const reader = this.readers.get(name);
    this.readers.delete(name);
    await reader?.then((client) => client.end()).catch(() => undefined);
  }

  private async maintenance(work: (client: Client) => Promise<unknown>): Promise<void> {
    const url = new URL(this.serverUrl);
    url.pathname = '/postgres';
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
}

function guarded(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes('bench')) throw new Error(`refusing database ${JSON.stringify(name)}: bench databases are named *_bench`);
  return name;
}
