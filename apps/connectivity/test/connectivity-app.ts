import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { testDatabaseUrl } from '@onebip/testing';
import { ConnectivityConfig } from '../src/config/connectivity-config';
import { startConnectivity } from '../src/main';

/** Connectivity started in this process on a free port, against the test database. */
export async function startTestConnectivity(overrides: Partial<ConnectivityConfig> = {}): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await startConnectivity(
    { port: 0, host: '127.0.0.1', databaseUrl: testDatabaseUrl('connectivity'), bodyLimitBytes: 64 * 1024, ...overrides },
    { logger: false },
  );
  return { app, url: await app.getUrl() };
}

/** A message body as billing sends it, with a message URL of its own unless overridden. */
export function buildMessage(overrides: Record<string, unknown> = {}) {
  return { text: 'You paid 12.99 EUR', phoneNumber: '393331234567', message: `http://127.0.0.1:3001/messages/${randomUUID()}`, ...overrides };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
